import qrcode from 'qrcode-generator';
import { useMemo, useState } from 'react';
import type { EnrollmentCode } from '../../../shared/api/enrollment.ts';
import { zonedDateTime } from '../../ui/format.ts';
import { type AdminApi, describeFailure } from './admin-api.ts';
import { SelectField } from './SelectField.tsx';
import type { StoreSummary } from './use-stores.ts';

/** The staff app's address with the code filled in: what the QR code opens. */
export function enrollLink(code: string, origin: string = window.location.origin): string {
  return `${origin}/staff/?code=${encodeURIComponent(code)}`;
}

function QrCode({ text, code }: { text: string; code: string }) {
  const src = useMemo(() => {
    const qr = qrcode(0, 'M');
    qr.addData(text);
    qr.make();
    return qr.createDataURL(6, 4);
  }, [text]);
  return (
    <img className="qr" src={src} alt={`QR code that opens the staff app with code ${code} filled in`} />
  );
}

/** Makes a one-time enrollment code for a store, shown large and as a QR code for the tablet's camera. */
export function EnrollmentCard({
  api,
  stores,
  onCreated,
}: {
  api: AdminApi;
  stores: StoreSummary[];
  onCreated?: () => void;
}) {
  const [storeId, setStoreId] = useState(stores[0]?.id ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [made, setMade] = useState<EnrollmentCode & { storeId: string }>();

  async function create() {
    setBusy(true);
    setError(undefined);
    try {
      const { body } = await api.send<EnrollmentCode>('POST', `/api/admin/stores/${storeId}/enrollments`);
      setMade({ ...body, storeId });
      onCreated?.();
    } catch (failure) {
      setError(describeFailure(failure));
    } finally {
      setBusy(false);
    }
  }

  const madeFor = stores.find((s) => s.id === made?.storeId);
  const storeLabel = madeFor?.name ?? made?.storeId;
  return (
    <section className="card stack" aria-labelledby="enroll-heading">
      <h2 id="enroll-heading">Enroll a tablet</h2>
      <div className="row">
        <SelectField label="Store" value={storeId} onChange={setStoreId} inline>
          {stores.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
        <button type="button" onClick={create} disabled={busy || storeId === ''}>
          {busy ? 'Creating…' : 'Create enrollment code'}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div aria-live="polite">
        {made && (
          <div className="enroll-code">
            <div>
              <p className="muted">
                Code for {storeLabel}, works once, until{' '}
                {zonedDateTime(made.expiresAt, madeFor?.timeZone ?? 'UTC')}
              </p>
              <p className="code-large" data-testid="enrollment-code">
                {made.code}
              </p>
              <p>
                On the tablet, open <a href={enrollLink(made.code)}>{enrollLink(made.code)}</a> or scan the
                code.
              </p>
            </div>
            <QrCode text={enrollLink(made.code)} code={made.code} />
          </div>
        )}
      </div>
    </section>
  );
}
