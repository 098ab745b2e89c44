import { useEffect, useState } from 'react';
import { dateInZone } from '../../shared/time.ts';
import type { ClosedAs } from '../offline/hold-log.ts';
import { readProduct } from '../offline/store-doc.ts';
import type { StaffHold, Tablet, TabletSnapshot } from '../offline/tablet.ts';
import { storeTime } from './store-time.ts';

/** A hold still waiting for the customer's confirmation this close to its end is flagged. */
export const EXPIRY_WARNING_MS = 10 * 60 * 1000;

const STATUS_TEXT: Record<string, string> = {
  held: 'Waiting for the customer to confirm',
  confirmed: 'Confirmed by the customer — to pick',
  picked: 'Picked — ready to hand over',
};

const CLOSED_TEXT: Record<ClosedAs, string> = {
  fulfilled: 'Handed over',
  cancelled: 'Cancelled',
  expired: 'Expired',
  closed: 'Closed by another tablet or the customer',
};

/**
 * New holds appear at once (the tablet acknowledges them by itself); staff accept, pick, hand
 * over or cancel, the next step as the main button. Each shows its steps and its end in store
 * time, labelled (issue 8.9); closed ones stay in "Done today".
 */
export function PickupQueue({ tablet, snapshot }: { tablet: Tablet; snapshot: TabletSnapshot }) {
  void snapshot.docVersion;
  const timeZone = snapshot.store?.timeZone;
  const at = (ms: number) => storeTime(ms, timeZone);
  const now = Date.now();
  useEffect(() => {
    void tablet.refreshDoneHolds();
  }, [tablet]);
  const closedHere = new Set(snapshot.holdLog.filter((r) => r.closedAs).map((r) => r.id));
  const open = tablet.holds().filter((h) => h.status in STATUS_TEXT && !closedHere.has(h.id));
  const pendingFor = new Set(
    snapshot.pending.flatMap((e) =>
      e.command.name === 'hold.step' ? [`${e.command.args.holdId}/${e.command.args.step}`] : [],
    ),
  );
  const today = timeZone ? dateInZone(now, timeZone) : undefined;
  const done = snapshot.holdLog
    .filter((r) => r.closedAs && r.closedAt && (!timeZone || dateInZone(r.closedAt, timeZone) === today))
    .sort((a, b) => (b.closedAt ?? 0) - (a.closedAt ?? 0));

  return (
    <section className="stack">
      <h2>To pick up ({open.length})</h2>
      {open.length === 0 ? (
        <p className="muted">No pickups waiting.</p>
      ) : (
        <ul className="list">
          {open.map((hold) => {
            const endsSoon = hold.status === 'held' && hold.expiresAt - now < EXPIRY_WARNING_MS;
            return (
              <li key={hold.id} className="card" data-testid="pickup">
                <strong>
                  {hold.quantity} × {productName(tablet, hold.sku)}
                </strong>{' '}
                for {hold.customer.name} <span className="muted">({hold.sku})</span>
                <p>{STATUS_TEXT[hold.status]}</p>
                <p className="muted">
                  Reserved {at(hold.createdAt)}
                  {hold.acknowledgedAt ? ` · received by the store ${at(hold.acknowledgedAt)}` : ''}
                  {hold.acceptedAt ? ` · accepted ${at(hold.acceptedAt)}` : ''}
                  {hold.pickedAt ? ` · picked ${at(hold.pickedAt)}` : ''}
                  {hold.status === 'held' ? ` · ends ${at(hold.expiresAt)} unless the customer confirms` : ''}
                </p>
                {endsSoon && (
                  <p className="hold-flag" role="alert">
                    {hold.expiresAt <= now
                      ? 'This hold has ended: the customer did not confirm in time.'
                      : `Ends at ${at(hold.expiresAt)}: the customer has not confirmed yet${
                          hold.acceptedAt ? ', though the store accepted it' : ''
                        }.`}
                  </p>
                )}
                {[...pendingFor].some((k) => k.startsWith(`${hold.id}/`)) && (
                  <p className="muted" data-testid="pickup-pending">
                    {tablet.isOnline()
                      ? 'Sending to the server…'
                      : 'Offline: saved on this tablet. It is sent when the tablet is back online.'}
                  </p>
                )}
                <HoldButtons
                  tablet={tablet}
                  hold={hold}
                  name={productName(tablet, hold.sku)}
                  busy={(step) => pendingFor.has(`${hold.id}/${step}`)}
                />
              </li>
            );
          })}
        </ul>
      )}
      <h2>Done today ({done.length})</h2>
      {done.length === 0 ? (
        <p className="muted">No pickup was handed over, cancelled or expired today.</p>
      ) : (
        <ul className="list done-list" aria-label="Done today">
          {done.map((r) => (
            <li key={r.id} data-testid="done-pickup">
              {r.hold.quantity} × {productName(tablet, r.hold.sku)} for {r.hold.customer.name} —{' '}
              <strong>{CLOSED_TEXT[r.closedAs ?? 'closed']}</strong>{' '}
              <span className="muted">{r.closedAt ? at(r.closedAt) : ''}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function productName(tablet: Tablet, sku: string): string {
  const doc = tablet.document;
  return (doc && readProduct(doc, sku)?.name) || sku;
}

type StepName = 'accept' | 'pick' | 'hand-over';

const STEP_LABEL: Record<StepName, string> = {
  accept: 'Accept',
  pick: 'Mark picked',
  'hand-over': 'Hand over',
};

/**
 * The hold's next step, then the others (issue 15 §6): accept, then pick once the customer
 * confirmed, then hand over once picked. Hand-over and cancel cannot be undone: both ask.
 */
export function holdSteps(hold: Pick<StaffHold, 'status' | 'acceptedAt'>): {
  next?: StepName;
  others: StepName[];
} {
  const accepted = hold.acceptedAt !== undefined;
  if (hold.status === 'held') return accepted ? { others: [] } : { next: 'accept', others: [] };
  if (hold.status === 'confirmed')
    return accepted ? { next: 'pick', others: [] } : { next: 'accept', others: ['pick'] };
  if (hold.status === 'picked') return { next: 'hand-over', others: [] };
  return { others: [] };
}

function HoldButtons({
  tablet,
  hold,
  name,
  busy,
}: {
  tablet: Tablet;
  hold: StaffHold;
  name: string;
  busy: (step: string) => boolean;
}) {
  const [confirming, setConfirming] = useState<'cancel' | 'hand-over'>();
  const who = `${hold.quantity} × ${hold.sku} for ${hold.customer.name}`;
  const { next, others } = holdSteps(hold);
  const button = (step: StepName, main: boolean) => (
    <button
      key={step}
      type="button"
      className={main ? undefined : 'secondary'}
      disabled={busy(step)}
      onClick={() =>
        step === 'hand-over'
          ? setConfirming('hand-over')
          : void tablet.holdStep(hold.id, step, `${STEP_LABEL[step]}: ${who}`)
      }
    >
      {busy(step) ? `${STEP_LABEL[step]}…` : STEP_LABEL[step]}
    </button>
  );
  if (confirming === 'hand-over')
    return (
      <fieldset className="row confirm">
        <legend>Hand over to {hold.customer.name}?</legend>
        <p>
          Give {hold.quantity} × {name} to {hold.customer.name} (check their name). This cannot be undone: the
          units leave the store’s stock.
        </p>
        <button
          type="button"
          onClick={() => {
            setConfirming(undefined);
            void tablet.holdStep(hold.id, 'hand-over', `Hand over: ${who}`);
          }}
        >
          Yes, handed over
        </button>
        <button type="button" className="secondary" onClick={() => setConfirming(undefined)}>
          Not yet
        </button>
      </fieldset>
    );
  if (confirming === 'cancel')
    return (
      <fieldset className="row confirm">
        <legend>Cancel this hold?</legend>
        <p>
          Cancel the hold of {hold.quantity} × {name} for {hold.customer.name}? Its units go back on sale and
          the customer is told.
        </p>
        <button
          type="button"
          onClick={() => {
            setConfirming(undefined);
            void tablet.holdStep(hold.id, 'cancel', `Cancel hold: ${who}`);
          }}
        >
          Yes, cancel the hold
        </button>
        <button type="button" className="secondary" onClick={() => setConfirming(undefined)}>
          Keep the hold
        </button>
      </fieldset>
    );
  return (
    <div className="row">
      {next && button(next, true)}
      {others.map((step) => button(step, false))}
      <button
        type="button"
        className="secondary"
        disabled={busy('cancel')}
        onClick={() => setConfirming('cancel')}
      >
        {busy('cancel') ? 'Cancelling…' : 'Cancel hold'}
      </button>
    </div>
  );
}
