import { useCallback, useEffect, useState } from 'react';
import { type AdminApi, describeFailure, newActionKey } from './admin-api.ts';
import { SelectField } from './SelectField.tsx';
import { type StoreSummary, storeName, useStores } from './use-stores.ts';
import './controls.css';

/** How often the list refreshes by itself (messages move from made to sent in seconds). */
const REFRESH_MS = 10_000;

interface MessageRow {
  id: number;
  storeId: string;
  subjectId: string;
  kind: string;
  channel: 'email' | 'sms';
  recipient: string;
  subject: string;
  text: string;
  status: string;
  attempts: number;
  providerAnswer: string | null;
  madeAt: string;
}

const STATUS_LABELS: Record<string, string> = {
  made: 'Waiting to send',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed, will retry',
  dead: 'Dead letter',
  unknown: 'Outcome unknown',
  not_sent: 'Not sent: no provider',
};

const KIND_LABELS: Record<string, string> = {
  hold_made: 'Hold made',
  hold_received: 'Hold received by the store',
  hold_unreachable: 'Store not reached',
  hold_ready: 'Ready for pickup',
  hold_expired: 'Hold expired',
  hold_cancelled: 'Hold cancelled',
  booking_made: 'Booked',
  booking_received: 'Booking received by the store',
  booking_rescheduled: 'Booking moved',
  booking_cancelled: 'Booking cancelled',
  booking_reminder: 'Reminder',
};

function madeAtLabel(at: string, store: StoreSummary | undefined): string {
  return new Intl.DateTimeFormat('en-US', {
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: store?.timeZone ?? 'UTC',
    timeZoneName: 'short',
  }).format(new Date(at));
}

/** A manage link's token (after `#`) is the customer's key: the list does not show it. */
const withoutSecret = (text: string) => text.replace(/#[0-9a-f]{16,}/g, '#…');

/** Every message to customers, with its status and the provider's answer; resend one (issue 19). */
export function MessagesPage({ api }: { api: AdminApi }) {
  const { stores } = useStores(api);
  const [storeId, setStoreId] = useState('');
  const [kind, setKind] = useState('');
  const [status, setStatus] = useState('');
  const [messages, setMessages] = useState<MessageRow[]>();
  const [loadError, setLoadError] = useState<string>();
  const [notice, setNotice] = useState<{ ok: boolean; text: string }>();

  const load = useCallback(async () => {
    const query = new URLSearchParams(
      Object.entries({ storeId, kind, status }).filter(([, value]) => value !== ''),
    ).toString();
    try {
      const body = await api.get<{ messages: MessageRow[] }>(
        `/api/admin/messages${query ? `?${query}` : ''}`,
      );
      setMessages(body.messages);
      setLoadError(undefined);
    } catch (failure) {
      setLoadError(describeFailure(failure));
    }
  }, [api, storeId, kind, status]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  async function resend(m: MessageRow) {
    try {
      await api.send('POST', `/api/admin/messages/${m.id}/resend`, undefined, newActionKey('resend'));
      setNotice({ ok: true, text: `Message ${m.id} (${KIND_LABELS[m.kind] ?? m.kind}) will be sent again.` });
      void load();
    } catch (failure) {
      setNotice({ ok: false, text: `Could not resend message ${m.id}: ${describeFailure(failure)}` });
    }
  }

  return (
    <div className="controls stack">
      <h1>Messages</h1>
      <p className="muted">
        Every email and text message to customers, made once per hold or booking step. Contacts are shown to
        admins only.
      </p>
      <div className="row">
        <SelectField label="Store" value={storeId} onChange={setStoreId} inline>
          <option value="">All stores</option>
          {stores?.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
        <SelectField label="Kind" value={kind} onChange={setKind} inline>
          <option value="">All kinds</option>
          {Object.entries(KIND_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <SelectField label="Status" value={status} onChange={setStatus} inline>
          <option value="">All statuses</option>
          {Object.entries(STATUS_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
      </div>
      <div aria-live="polite">
        {notice && (
          <p className={notice.ok ? 'notice ok' : 'notice error'} role={notice.ok ? 'status' : 'alert'}>
            {notice.text}
          </p>
        )}
      </div>
      {loadError && (
        <p className="error" role="alert">
          Could not load the messages: {loadError}
        </p>
      )}
      {messages === undefined && !loadError && <p className="muted">Loading messages…</p>}
      {messages?.length === 0 && <p className="muted">No message matches.</p>}
      {messages && messages.length > 0 && (
        <div className="table-scroll">
          <table className="grid responsive">
            <caption className="muted">Newest first</caption>
            <thead>
              <tr>
                <th scope="col">Made</th>
                <th scope="col">Store</th>
                <th scope="col">Kind</th>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
                <th scope="col">Status</th>
                <th scope="col">Provider’s answer</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id}>
                  <td data-label="Made">
                    {madeAtLabel(
                      m.madeAt,
                      stores?.find((s) => s.id === m.storeId),
                    )}
                  </td>
                  <td data-label="Store">{storeName(stores, m.storeId)}</td>
                  <td data-label="Kind">{KIND_LABELS[m.kind] ?? m.kind}</td>
                  <td data-label="To">
                    {m.channel === 'email' ? 'Email' : 'Text'}: {m.recipient}
                  </td>
                  <td data-label="Subject" style={{ overflowWrap: 'anywhere', maxWidth: '22rem' }}>
                    {m.channel === 'email' ? m.subject : withoutSecret(m.text)}
                  </td>
                  <td data-label="Status">
                    {STATUS_LABELS[m.status] ?? m.status}
                    {m.attempts > 1 ? ` (${m.attempts} attempts)` : ''}
                  </td>
                  <td data-label="Provider’s answer">{m.providerAnswer ?? '—'}</td>
                  <td data-label="Action">
                    <button
                      type="button"
                      onClick={() => void resend(m)}
                      disabled={m.status === 'sending'}
                      aria-label={`Resend message ${m.id}`}
                    >
                      Resend
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
