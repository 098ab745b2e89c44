import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';
import type { MessageRow } from './messages-db.ts';

/**
 * What a provider said: `sent` (accepted), `failed` (try again later), `rejected` (trying again
 * cannot help: a bad address), or `none` (no provider for the channel is set).
 */
export type SendResult =
  | { outcome: 'sent'; answer: string }
  | { outcome: 'failed'; answer: string }
  | { outcome: 'rejected'; answer: string }
  | { outcome: 'none'; answer: string };

export interface Providers {
  send(message: MessageRow): Promise<SendResult>;
  close(): void;
}

const SMTP_TIMEOUT_MS = 10_000;

/** SMTP_URL with nodemailer's timeouts (its URL takes options as query parameters) unless it sets them. */
function withTimeouts(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  for (const name of ['connectionTimeout', 'greetingTimeout', 'socketTimeout']) {
    if (!url.searchParams.has(name)) url.searchParams.set(name, String(SMTP_TIMEOUT_MS));
  }
  return url.toString();
}

/** nodemailer over SMTP_URL and Twilio's Messages API over plain fetch; either may be absent. */
export function createProviders(notify: Config['notify']): Providers {
  const mailer = notify.smtpUrl ? nodemailer.createTransport(withTimeouts(notify.smtpUrl)) : undefined;

  async function email(m: MessageRow): Promise<SendResult> {
    if (!mailer) return { outcome: 'none', answer: 'not sent: no provider' };
    try {
      const info = await mailer.sendMail({
        from: notify.mailFrom,
        to: m.recipient,
        subject: m.subject,
        text: m.text,
        ...(m.html ? { html: m.html } : {}),
        // The same Message-ID on every attempt: a receiver that got it once can drop the copy.
        messageId: `<${m.key.replace(/[^\w.-]/g, '-')}@holdfast>`,
        ...(m.ics
          ? {
              icalEvent: {
                method: /METHOD:CANCEL/.test(m.ics) ? 'CANCEL' : 'REQUEST',
                filename: 'invite.ics',
                content: m.ics,
              },
            }
          : {}),
      });
      return { outcome: 'sent', answer: String(info.response ?? 'accepted') };
    } catch (error) {
      const e = error as { responseCode?: number; message?: string };
      const answer = `${e.responseCode ?? ''} ${e.message ?? String(error)}`.trim();
      // 5xx to a recipient is permanent (RFC 5321 §4.2.1); connection troubles are not.
      const permanent = e.responseCode !== undefined && e.responseCode >= 550 && e.responseCode < 560;
      return { outcome: permanent ? 'rejected' : 'failed', answer };
    }
  }

  async function sms(m: MessageRow): Promise<SendResult> {
    const t = notify.twilio;
    if (!t) return { outcome: 'none', answer: 'not sent: no provider' };
    const url = `${t.apiBase.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(t.accountSid)}/Messages.json`;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${t.accountSid}:${t.authToken}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ To: m.recipient, From: t.from, Body: m.text }),
        signal: AbortSignal.timeout(SMTP_TIMEOUT_MS),
      });
      const body = (await response.json().catch(() => ({}))) as {
        sid?: string;
        code?: number;
        message?: string;
      };
      if (response.ok) return { outcome: 'sent', answer: `${response.status} ${body.sid ?? ''}`.trim() };
      const answer = `${response.status} ${body.code ?? ''} ${body.message ?? ''}`.trim();
      // 4xx other than 429 is the request itself (a bad number, an unsubscribed one): not retried.
      const retry = response.status >= 500 || response.status === 429;
      return { outcome: retry ? 'failed' : 'rejected', answer };
    } catch (error) {
      return { outcome: 'failed', answer: (error as Error).message };
    }
  }

  return {
    send: (m) => (m.channel === 'email' ? email(m) : sms(m)),
    close: () => mailer?.close(),
  };
}
