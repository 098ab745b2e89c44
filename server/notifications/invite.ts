import { calendarFile } from '../../shared/ics.ts';

export interface Invite {
  /** Stable for the booking: a reschedule moves the same event in the customer's calendar. */
  uid: string;
  /** Higher on every change (RFC 5545 §3.8.7.4): calendars keep the newest. */
  sequence: number;
  method: 'REQUEST' | 'CANCEL';
  title: string;
  startsAt: number;
  endsAt: number;
  location: string;
  description: string;
  organizer: string;
  now: number;
}

/**
 * An iTIP invitation (RFC 5546): shared/ics.ts's event with METHOD, SEQUENCE, ORGANIZER and,
 * for a cancellation, STATUS:CANCELLED, so a calendar updates or removes the event it has.
 */
export function inviteFile(invite: Invite): string {
  const lines = calendarFile({
    uid: invite.uid,
    title: invite.title,
    startsAt: invite.startsAt,
    endsAt: invite.endsAt,
    location: invite.location,
    description: invite.description,
    now: invite.now,
  }).split('\r\n');
  const out: string[] = [];
  for (const line of lines) {
    out.push(line);
    if (line === 'CALSCALE:GREGORIAN') out.push(`METHOD:${invite.method}`);
    if (line.startsWith('UID:')) {
      out.push(`SEQUENCE:${invite.sequence}`);
      out.push(`ORGANIZER:mailto:${invite.organizer}`);
      if (invite.method === 'CANCEL') out.push('STATUS:CANCELLED');
    }
  }
  return out.join('\r\n');
}
