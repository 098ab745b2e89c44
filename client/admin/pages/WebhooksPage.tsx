import { useCallback, useEffect, useState } from 'react';
import type { Webhook, WebhookWithSecret } from '../../../shared/api/webhooks.ts';
import { type AdminApi, ApiError, describeFailure } from './admin-api.ts';
import { Notice, type NoticeText } from './Notice.tsx';
import { WebhookDeliveries } from './WebhookDeliveries.tsx';
import './controls.css';
import './webhooks.css';

/** Webhooks out (issue 20 §1): register endpoints, pause, rotate, delete, and read each one's delivery log. */
export function WebhooksPage({ api }: { api: AdminApi }) {
  const [webhooks, setWebhooks] = useState<Webhook[]>();
  const [loadError, setLoadError] = useState<string>();
  const [notice, setNotice] = useState<NoticeText>();
  const [secret, setSecret] = useState<{ url: string; secret: string }>();
  const [open, setOpen] = useState<string>();

  const load = useCallback(async () => {
    try {
      setWebhooks((await api.get<{ webhooks: Webhook[] }>('/api/admin/webhooks')).webhooks);
      setLoadError(undefined);
    } catch (failure) {
      setLoadError(describeFailure(failure));
    }
  }, [api]);
  useEffect(() => void load(), [load]);

  const act = async (work: () => Promise<string>) => {
    try {
      setNotice({ ok: true, text: await work() });
    } catch (failure) {
      setNotice({ ok: false, text: describeFailure(failure) });
    }
    await load();
  };
  const showSecret = (made: WebhookWithSecret) => setSecret({ url: made.url, secret: made.secret });

  return (
    <div className="controls stack">
      <h1>Webhooks</h1>
      <p>
        Holdfast sends each event an endpoint subscribes to, signed per Standard Webhooks. Events are types
        (hold.created) or prefixes (hold.*, stock.*).
      </p>
      <NewWebhookForm
        api={api}
        onCreated={(made) => {
          showSecret(made);
          setNotice({ ok: true, text: `Added ${made.url}.` });
          void load();
        }}
      />
      {secret && (
        <section className="stack" aria-labelledby="secret-heading">
          <h2 id="secret-heading">Signing secret for {secret.url}</h2>
          <p>Copy it now into the receiver: it is shown only this once.</p>
          <code className="webhook-secret">{secret.secret}</code>
          <button type="button" className="secondary" onClick={() => setSecret(undefined)}>
            I have copied it
          </button>
        </section>
      )}
      <Notice notice={notice} />
      <section className="stack" aria-labelledby="endpoints-heading">
        <h2 id="endpoints-heading">Endpoints</h2>
        {loadError && (
          <p className="error" role="alert">
            Could not load the webhooks: {loadError}
          </p>
        )}
        {webhooks === undefined && !loadError && <p className="muted">Loading webhooks…</p>}
        {webhooks?.length === 0 && <p className="muted">No webhook endpoint yet.</p>}
        <ul className="list">
          {webhooks?.map((w) => (
            <li key={w.id} className="stack">
              <div className="row spread">
                <strong>{w.url}</strong>
                <StateBadge webhook={w} />
              </div>
              <span>
                Events: {w.events.join(', ')}
                {w.description ? ` · ${w.description}` : ''}
              </span>
              {w.disabledReason && <span>Disabled: {w.disabledReason}</span>}
              <div className="row">
                {w.disabledAt ? (
                  <button
                    type="button"
                    onClick={() =>
                      act(async () => {
                        await api.send('PATCH', `/api/admin/webhooks/${w.id}`, { enabled: true });
                        return `Enabled ${w.url} again.`;
                      })
                    }
                  >
                    Enable again
                  </button>
                ) : (
                  <button
                    type="button"
                    className="secondary"
                    onClick={() =>
                      act(async () => {
                        await api.send('PATCH', `/api/admin/webhooks/${w.id}`, { paused: !w.paused });
                        return w.paused
                          ? `Resumed ${w.url}.`
                          : `Paused ${w.url}: events wait until you resume.`;
                      })
                    }
                  >
                    {w.paused ? 'Resume' : 'Pause'}
                  </button>
                )}
                <button
                  type="button"
                  className="secondary"
                  onClick={() =>
                    act(async () => {
                      showSecret(
                        (
                          await api.send<WebhookWithSecret>(
                            'POST',
                            `/api/admin/webhooks/${w.id}/rotate-secret`,
                          )
                        ).body,
                      );
                      return `New secret for ${w.url}: the old one also signs for 24 hours.`;
                    })
                  }
                >
                  Rotate secret
                </button>
                <button
                  type="button"
                  className="secondary"
                  aria-expanded={open === w.id}
                  onClick={() => setOpen(open === w.id ? undefined : w.id)}
                >
                  {open === w.id ? 'Hide deliveries' : 'Show deliveries'}
                </button>
                <button
                  type="button"
                  className="danger"
                  onClick={() =>
                    act(async () => {
                      await api.send('DELETE', `/api/admin/webhooks/${w.id}`);
                      return `Deleted ${w.url} and its delivery log.`;
                    })
                  }
                >
                  Delete
                </button>
              </div>
              {open === w.id && <WebhookDeliveries api={api} webhook={w} />}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function StateBadge({ webhook }: { webhook: Webhook }) {
  if (webhook.disabledAt) return <span className="badge bad">Disabled</span>;
  if (webhook.paused) return <span className="badge">Paused</span>;
  return <span className="badge good">Active</span>;
}

function NewWebhookForm({ api, onCreated }: { api: AdminApi; onCreated: (made: WebhookWithSecret) => void }) {
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState('hold.*, stock.*');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const list = events
        .split(',')
        .map((e) => e.trim())
        .filter((e) => e !== '');
      const made = await api.send<WebhookWithSecret>('POST', '/api/admin/webhooks', {
        url: url.trim(),
        events: list,
        description,
      });
      setUrl('');
      setDescription('');
      onCreated(made.body);
    } catch (failure) {
      const fields = failure instanceof ApiError ? failure.fieldErrors() : {};
      const detail = Object.entries(fields)
        .map(([path, message]) => `${path}: ${message}`)
        .join('; ');
      setError(detail ? `${describeFailure(failure)} ${detail}` : describeFailure(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} className="stack webhook-form" aria-labelledby="new-webhook-heading">
      <h2 id="new-webhook-heading">Add an endpoint</h2>
      <div className="field">
        <label htmlFor="webhook-url">Receiver URL</label>
        <input id="webhook-url" type="url" value={url} onChange={(e) => setUrl(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor="webhook-events">Events (comma-separated)</label>
        <input id="webhook-events" value={events} onChange={(e) => setEvents(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor="webhook-description">Description</label>
        <input
          id="webhook-description"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy || url.trim() === ''}>
        {busy ? 'Adding…' : 'Add endpoint'}
      </button>
    </form>
  );
}
