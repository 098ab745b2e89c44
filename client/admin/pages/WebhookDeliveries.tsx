import { useCallback, useEffect, useState } from 'react';
import type { Webhook, WebhookDelivery } from '../../../shared/api/webhooks.ts';
import { browserTimeZone, zonedDateTime } from '../../ui/format.ts';
import { type AdminApi, describeFailure } from './admin-api.ts';

const REFRESH_MS = 10_000;
const STATUS_TEXT: Record<WebhookDelivery['status'], string> = {
  pending: 'Waiting to retry',
  delivered: 'Delivered',
  failed: 'Failed',
};

/** One endpoint's delivery log (30 days): each delivery, its last answer, and a resend button. */
export function WebhookDeliveries({ api, webhook }: { api: AdminApi; webhook: Webhook }) {
  const [deliveries, setDeliveries] = useState<WebhookDelivery[]>();
  const [error, setError] = useState<string>();
  const load = useCallback(async () => {
    try {
      const body = await api.get<{ deliveries: WebhookDelivery[] }>(
        `/api/admin/webhooks/${webhook.id}/deliveries`,
      );
      setDeliveries(body.deliveries);
      setError(undefined);
    } catch (failure) {
      setError(describeFailure(failure));
    }
  }, [api, webhook.id]);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);
  const resend = async (delivery: WebhookDelivery) => {
    try {
      await api.send('POST', `/api/admin/webhooks/${webhook.id}/deliveries/${delivery.id}/resend`);
    } catch (failure) {
      setError(describeFailure(failure));
    }
    await load();
  };
  if (error)
    return (
      <p className="error" role="alert">
        Could not load the deliveries: {error}
      </p>
    );
  if (!deliveries) return <p className="muted">Loading deliveries…</p>;
  if (deliveries.length === 0)
    return <p className="muted">Nothing was sent to this endpoint in the last 30 days.</p>;
  return (
    <div className="table-scroll">
      <table className="grid">
        <caption>Deliveries to {webhook.url}, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Made</th>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last answer</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((d) => {
            const zone = d.timeZone ?? browserTimeZone();
            const last = d.attemptLog.at(-1);
            return (
              <tr key={d.id}>
                <td>{zonedDateTime(Date.parse(d.createdAt), zone, { seconds: true })}</td>
                <td>
                  {d.eventType} <span className="muted">#{d.sequence}</span>
                </td>
                <td>
                  {STATUS_TEXT[d.status]}
                  {d.nextAttemptAt && d.status === 'pending' && d.attempts > 0
                    ? ` (next ${zonedDateTime(Date.parse(d.nextAttemptAt), zone, { seconds: true })})`
                    : ''}
                </td>
                <td className="numeric">{d.attempts}</td>
                <td>
                  {last
                    ? `${last.status ?? 'no answer'}${last.error ? `: ${last.error}` : ''} in ${last.durationMs} ms`
                    : '—'}
                </td>
                <td>
                  <button type="button" className="secondary" onClick={() => void resend(d)}>
                    Resend{' '}
                    <span className="visually-hidden">
                      {d.eventType} {d.sequence}
                    </span>
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
