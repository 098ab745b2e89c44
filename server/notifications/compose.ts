import type { Store } from '../../shared/api/stores.ts';
import type { MessageDraft } from './messages-db.ts';

/** The customer as the hold or booking record keeps them. */
export interface Contact {
  name: string;
  email?: string;
  phone?: string;
}

/** What one message says, before it is cut to each channel. */
export interface MessageContent {
  subjectId: string;
  kind: string;
  /** Distinguishes messages of the same kind (a second reschedule); '0' when there is one. */
  revision: string;
  store: Store;
  subject: string;
  /** Paragraphs, plain text. */
  lines: string[];
  /** The manage link, when known. */
  link?: string;
  /** The short text message; the email's first line when absent. */
  sms: string;
  ics?: string;
}

/** "2:15 PM HST" in the store's zone, labelled, whatever the server's zone. */
export function storeTime(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(at);
}

/** "Tuesday, March 10 at 9:00 AM EDT" in the store's zone. */
export function storeDateTime(at: number, timeZone: string): string {
  const day = new Intl.DateTimeFormat('en-US', {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    timeZone,
  }).format(at);
  return `${day} at ${storeTime(at, timeZone)}`;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function html(c: MessageContent): string {
  const paragraphs = c.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n');
  const link = c.link
    ? `<p><a href="${escapeHtml(c.link)}" style="font-weight:bold">Manage it here</a></p>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(c.subject)}</title></head>
<body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:36rem">
<h1 style="font-size:1.25rem">${escapeHtml(c.subject)}</h1>
${paragraphs}
${link}
<p style="color:#555">${escapeHtml(c.store.name)} · ${escapeHtml(c.store.address)} · ${escapeHtml(c.store.phone)}</p>
</body></html>`;
}

function text(c: MessageContent): string {
  return [
    ...c.lines,
    ...(c.link ? [`Manage it: ${c.link}`] : []),
    `${c.store.name}, ${c.store.address}, ${c.store.phone}`,
  ].join('\n\n');
}

/** One draft per channel the customer gave a contact for. */
export function draftsFor(c: MessageContent, contact: Contact): MessageDraft[] {
  const base = { storeId: c.store.id, subjectId: c.subjectId, kind: c.kind, subject: c.subject };
  const key = (channel: string) => `${c.subjectId}:${c.kind}:${c.revision}:${channel}`;
  const drafts: MessageDraft[] = [];
  if (contact.email) {
    drafts.push({
      ...base,
      key: key('email'),
      channel: 'email',
      recipient: contact.email,
      text: text(c),
      html: html(c),
      ...(c.ics === undefined ? {} : { ics: c.ics }),
    });
  }
  if (contact.phone) {
    drafts.push({
      ...base,
      key: key('sms'),
      channel: 'sms',
      recipient: contact.phone,
      text: c.link ? `${c.sms} ${c.link}` : c.sms,
    });
  }
  return drafts;
}

export function parseContact(json: unknown): Contact {
  try {
    const c = JSON.parse(String(json ?? '{}')) as Partial<Contact>;
    return {
      name: c.name ?? '',
      ...(c.email ? { email: c.email } : {}),
      ...(c.phone ? { phone: c.phone } : {}),
    };
  } catch {
    return { name: '' };
  }
}
