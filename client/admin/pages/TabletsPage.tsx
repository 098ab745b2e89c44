import { useCallback, useEffect, useState } from 'react';
import type { TabletView } from '../../../shared/api/admin-controls.ts';
import { type AdminApi, describeFailure, newActionKey } from './admin-api.ts';
import { EnrollmentCard } from './EnrollmentCard.tsx';
import { SelectField } from './SelectField.tsx';
import { storeName, useStores } from './use-stores.ts';
import './controls.css';

/** How often the list refreshes by itself (leases change as tablets sell and report). */
const REFRESH_MS = 15_000;

type Notice = { kind: 'ok' | 'error'; text: string };

/** Tablets per store: enroll, rename, revoke, and give a lease back to the store. */
export function TabletsPage({ api }: { api: AdminApi }) {
  const { stores, error: storesError } = useStores(api);
  const [storeFilter, setStoreFilter] = useState('');
  const [tablets, setTablets] = useState<TabletView[]>();
  const [loadError, setLoadError] = useState<string>();
  const [notice, setNotice] = useState<Notice>();

  const load = useCallback(async () => {
    try {
      const query = storeFilter ? `?storeId=${storeFilter}` : '';
      const body = await api.get<{ tablets: TabletView[] }>(`/api/admin/tablets${query}`);
      setTablets(body.tablets);
      setLoadError(undefined);
    } catch (failure) {
      setLoadError(describeFailure(failure));
    }
  }, [api, storeFilter]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  return (
    <div className="controls stack">
      <h1>Tablets</h1>
      {storesError && (
        <p className="error" role="alert">
          Could not load the stores: {storesError}
        </p>
      )}
      {stores && stores.length === 0 && <p>There are no stores yet: add a store before enrolling tablets.</p>}
      {stores && stores.length > 0 && <EnrollmentCard api={api} stores={stores} onCreated={load} />}
      <section className="stack" aria-labelledby="tablets-heading">
        <div className="row spread">
          <h2 id="tablets-heading">Enrolled tablets</h2>
          <SelectField label="Show" value={storeFilter} onChange={setStoreFilter} inline>
            <option value="">All stores</option>
            {stores?.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </SelectField>
        </div>
        <div aria-live="polite">
          {notice && (
            <p
              className={notice.kind === 'ok' ? 'notice ok' : 'notice error'}
              role={notice.kind === 'error' ? 'alert' : 'status'}
            >
              {notice.text}
            </p>
          )}
        </div>
        {loadError && (
          <p className="error" role="alert">
            Could not load the tablets: {loadError}
          </p>
        )}
        {tablets === undefined && !loadError && <p className="muted">Loading tablets…</p>}
        {tablets?.length === 0 && (
          <p className="muted">No tablet is enrolled{storeFilter ? ' at this store' : ''} yet.</p>
        )}
        <ul className="list">
          {tablets?.map((t) => (
            <TabletRow
              key={t.deviceId}
              api={api}
              tablet={t}
              storeLabel={storeName(stores, t.storeId)}
              onChanged={(text) => {
                setNotice({ kind: 'ok', text });
                void load();
              }}
              onFailed={(text) => setNotice({ kind: 'error', text })}
            />
          ))}
        </ul>
      </section>
    </div>
  );
}

function TabletRow({
  api,
  tablet,
  storeLabel,
  onChanged,
  onFailed,
}: {
  api: AdminApi;
  tablet: TabletView;
  storeLabel: string;
  onChanged: (message: string) => void;
  onFailed: (message: string) => void;
}) {
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(tablet.name);
  const [confirmRevoke, setConfirmRevoke] = useState(false);
  const [busy, setBusy] = useState(false);
  const leased = tablet.leases.reduce((sum, l) => sum + l.quantity, 0);

  async function act(work: () => Promise<string>) {
    setBusy(true);
    try {
      onChanged(await work());
    } catch (failure) {
      onFailed(describeFailure(failure));
    } finally {
      setBusy(false);
    }
  }

  const rename = () =>
    act(async () => {
      await api.send('PUT', `/api/admin/tablets/${tablet.deviceId}/name`, { name });
      setRenaming(false);
      return `Renamed “${tablet.name}” to “${name.trim()}”.`;
    });
  const revoke = () =>
    act(async () => {
      const { body } = await api.send<{ returnedUnits: number }>(
        'POST',
        `/api/admin/devices/${tablet.deviceId}/revoke`,
      );
      setConfirmRevoke(false);
      return `Revoked “${tablet.name}”: it is signed out and its connection closes within seconds; ${body.returnedUnits} leased ${
        body.returnedUnits === 1 ? 'unit went' : 'units went'
      } back to the store.`;
    });
  const returnLease = (sku: string) =>
    act(async () => {
      const { body } = await api.send<{ returned: number; stock: { available: number } }>(
        'POST',
        `/api/admin/tablets/${tablet.deviceId}/leases/${encodeURIComponent(sku)}/return`,
        undefined,
        newActionKey('lease-return'),
      );
      return `${body.returned} ${sku} back in the store’s pool from “${tablet.name}” (${body.stock.available} available now).`;
    });

  const revoked = tablet.state === 'revoked';
  return (
    <li className={`card tablet ${revoked ? 'revoked' : ''}`}>
      <div className="row spread">
        <div>
          {renaming ? (
            <form
              className="row"
              onSubmit={(e) => {
                e.preventDefault();
                void rename();
              }}
            >
              <label>
                New name for {tablet.name}
                <input value={name} onChange={(e) => setName(e.target.value)} maxLength={60} required />
              </label>
              <button type="submit" disabled={busy || name.trim() === ''}>
                Save name
              </button>
              <button type="button" className="secondary" onClick={() => setRenaming(false)}>
                Cancel
              </button>
            </form>
          ) : (
            <h3>{tablet.name}</h3>
          )}
          <p className="muted">
            {storeLabel} · enrolled {new Date(tablet.enrolledAt).toLocaleString()} ·{' '}
            <span className={revoked ? 'badge bad' : 'badge good'}>
              {revoked ? `Revoked ${new Date(tablet.revokedAt ?? 0).toLocaleString()}` : 'Active'}
            </span>
          </p>
        </div>
        {!revoked && !renaming && (
          <div className="row">
            <button type="button" className="secondary" onClick={() => setRenaming(true)}>
              Rename
            </button>
            <button type="button" className="danger" onClick={() => setConfirmRevoke(true)} disabled={busy}>
              Revoke
            </button>
          </div>
        )}
      </div>
      {confirmRevoke && (
        <div className="confirm row">
          <p>
            Revoke “{tablet.name}”? It is signed out at once
            {leased > 0 ? ` and its ${leased} leased units go back to the store` : ''}. Anything it did
            offline waits on it until it is enrolled again.
          </p>
          <button type="button" className="danger" onClick={revoke} disabled={busy}>
            {busy ? 'Revoking…' : `Yes, revoke ${tablet.name}`}
          </button>
          <button type="button" className="secondary" onClick={() => setConfirmRevoke(false)}>
            Keep it
          </button>
        </div>
      )}
      {tablet.leases.length > 0 ? (
        <div className="table-scroll">
          <table className="grid">
            <caption className="visually-hidden">Leases of {tablet.name}</caption>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">Units</th>
                <th scope="col">Until</th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tablet.leases.map((l) => (
                <tr key={l.sku}>
                  <td>{l.sku}</td>
                  <td>{l.quantity}</td>
                  <td className={l.expiresAt < Date.now() ? 'error' : undefined}>
                    {new Date(l.expiresAt).toLocaleString()}
                    {l.expiresAt < Date.now() ? ' (ended, not reported yet)' : ''}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => returnLease(l.sku)}
                      disabled={busy}
                      aria-label={`Return ${l.quantity} ${l.sku} from ${tablet.name} to the store`}
                    >
                      Return to store
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">{revoked ? 'No leases: they went back to the store.' : 'No leases.'}</p>
      )}
    </li>
  );
}
