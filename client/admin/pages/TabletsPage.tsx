import { useCallback, useEffect, useState } from 'react';
import type { RevocationPreview, TabletView } from '../../../shared/api/admin-controls.ts';
import { browserTimeZone, zonedDateTime } from '../../ui/format.ts';
import { type AdminApi, describeFailure, newActionKey } from './admin-api.ts';
import { EnrollmentCard } from './EnrollmentCard.tsx';
import { RevokedTabletUnits } from './RevokedTabletUnits.tsx';
import { SelectField } from './SelectField.tsx';
import { storeName, useStores } from './use-stores.ts';
import './controls.css';

/** How often the list refreshes by itself (leases change as tablets sell and report). */
const REFRESH_MS = 15_000;

type Notice = { kind: 'ok' | 'error'; text: string };

/**
 * Tablets per store: enroll, rename, revoke, and give a lease back to the store; a revoked
 * tablet's unreported units settled or its saved file imported (issue 15 §1). Times are the
 * store's, labelled.
 */
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
              timeZone={stores?.find((s) => s.id === t.storeId)?.timeZone}
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
  timeZone,
  onChanged,
  onFailed,
}: {
  api: AdminApi;
  tablet: TabletView;
  storeLabel: string;
  timeZone: string | undefined;
  onChanged: (message: string) => void;
  onFailed: (message: string) => void;
}) {
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(tablet.name);
  /** Asked before revoking: what it would mean (issue 15 §1), fetched when the admin clicks Revoke. */
  const [confirmRevoke, setConfirmRevoke] = useState<RevocationPreview>();
  const [busy, setBusy] = useState(false);

  async function act(work: () => Promise<string>) {
    setBusy(true);
    try {
      const message = await work();
      if (message) onChanged(message);
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
  const askRevoke = () =>
    act(async () => {
      setConfirmRevoke(await api.get<RevocationPreview>(`/api/admin/devices/${tablet.deviceId}/revocation`));
      return '';
    });
  const revoke = (preview: RevocationPreview) =>
    act(async () => {
      const confirmed = preview.lastActiveTablet && preview.waitingPickups > 0;
      const { body } = await api.send<{ unreportedUnits: number }>(
        'POST',
        `/api/admin/devices/${tablet.deviceId}/revoke${confirmed ? '?confirmWaitingPickups=true' : ''}`,
      );
      setConfirmRevoke(undefined);
      const n = body.unreportedUnits;
      return `Revoked “${tablet.name}”: it is signed out and its connection closes within seconds; ${
        n === 0
          ? 'it kept no units.'
          : `its ${n} leased ${n === 1 ? 'unit stays' : 'units stay'} out of available until it reports what it sold or you settle ${n === 1 ? 'it' : 'them'}.`
      }`;
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
            {storeLabel} · enrolled {zonedDateTime(tablet.enrolledAt, timeZone ?? browserTimeZone())} ·{' '}
            <span className={revoked ? 'badge bad' : 'badge good'}>
              {revoked
                ? `Revoked ${zonedDateTime(tablet.revokedAt ?? 0, timeZone ?? browserTimeZone())}`
                : 'Active'}
            </span>
          </p>
        </div>
        {!revoked && !renaming && (
          <div className="row">
            <button type="button" className="secondary" onClick={() => setRenaming(true)}>
              Rename
            </button>
            <button type="button" className="danger" onClick={() => void askRevoke()} disabled={busy}>
              Revoke
            </button>
          </div>
        )}
      </div>
      {confirmRevoke && (
        <div className="confirm row">
          <div className="stack">
            {confirmRevoke.lastActiveTablet && confirmRevoke.waitingPickups > 0 && (
              <p className="error">
                <strong>
                  It is the last active tablet at {storeLabel}, and {confirmRevoke.waitingPickups}{' '}
                  {confirmRevoke.waitingPickups === 1 ? 'customer’s pickup is' : 'customers’ pickups are'}{' '}
                  waiting:
                </strong>{' '}
                nobody at the store sees {confirmRevoke.waitingPickups === 1 ? 'it' : 'them'} until another
                tablet is enrolled there.
              </p>
            )}
            <p>
              Revoke “{tablet.name}”? It is signed out at once and erases the store’s data.
              {confirmRevoke.leasedUnits > 0
                ? ` Its ${confirmRevoke.leasedUnits} leased units stay out of available until it reports what it sold before, or you settle them.`
                : ''}
            </p>
          </div>
          <button type="button" className="danger" onClick={() => void revoke(confirmRevoke)} disabled={busy}>
            {busy ? 'Revoking…' : `Yes, revoke ${tablet.name}`}
          </button>
          <button type="button" className="secondary" onClick={() => setConfirmRevoke(undefined)}>
            Keep it
          </button>
        </div>
      )}
      {revoked ? (
        <RevokedTabletUnits api={api} tablet={tablet} timeZone={timeZone} act={act} busy={busy} />
      ) : tablet.leases.length > 0 ? (
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
                    {zonedDateTime(l.expiresAt, timeZone ?? browserTimeZone())}
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
        <p className="muted">No leases.</p>
      )}
    </li>
  );
}
