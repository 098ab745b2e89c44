import { useState } from 'react';
import { bookingLinkRequestAnswerSchema, bookingLinkRequestSchema } from '../../shared/api/customer.ts';
import { customerPaths } from '../../shared/customer-routes.ts';
import { sendJson } from './api.ts';
import { type Contact, ContactFields, contactBody } from './ContactFields.tsx';
import { Link } from './Link.tsx';
import { useKeyedForm } from './use-keyed-form.ts';

/**
 * "Send me my booking's link again" (issue 16 §2): to the email or phone given, never shown
 * here; the answer is the same whether or not that contact has a booking. Until the shop sends
 * messages, the page says plainly that nothing was sent yet, and who can help now.
 */
export function LinkRequestForm({ eventId, initial }: { eventId: string; initial?: Contact | undefined }) {
  const [contact, setContact] = useState<Contact>(initial ?? { name: '', email: '', phone: '' });
  const [sentTo, setSentTo] = useState<string>();
  const form = useKeyedForm('link', bookingLinkRequestSchema);
  if (sentTo) {
    return (
      <div className="stack" aria-live="polite">
        <p className="ok">Your request is recorded.</p>
        <p>
          If {sentTo} has a booking for this event, its link will go there. This shop does not send emails or
          text messages yet, so nothing has been sent now. Until it does, the store where you booked can find
          your booking by your name: our stores’ phone numbers are on the{' '}
          <Link href={customerPaths.home()}>home page</Link>.
        </p>
      </div>
    );
  }
  return (
    <form
      className="stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void form.submit({ customer: contactBody(contact) }, async (body, idempotencyKey) => {
          await sendJson('POST', `/api/events/${encodeURIComponent(eventId)}/booking-link-requests`, {
            body,
            idempotencyKey,
            schema: bookingLinkRequestAnswerSchema,
          });
          setSentTo(body.customer.email ?? body.customer.phone ?? 'that contact');
        });
      }}
    >
      <p>Give the name and the email or phone you booked with, and we will send the link there.</p>
      <ContactFields value={contact} onChange={setContact} errors={form.errors} idPrefix="link" />
      {form.failure && (
        <p role="alert" className="error">
          {form.failure}
        </p>
      )}
      <button type="submit" disabled={form.busy}>
        {form.busy ? 'Sending…' : 'Send me the link again'}
      </button>
    </form>
  );
}
