import { useState } from 'react';
import { storeTime } from './time.ts';

export interface Step {
  label: string;
  at: number | undefined;
}

/** What has happened so far, in order, each with its time in the store's zone. */
export function Steps({ steps, timeZone }: { steps: Step[]; timeZone: string }) {
  return (
    <ol className="steps" aria-label="Progress">
      {steps.map((step) => (
        <li key={step.label} className={step.at ? 'done' : 'todo'}>
          <span>{step.label}</span>
          {step.at ? (
            <span className="muted"> at {storeTime(step.at, timeZone)}</span>
          ) : (
            <span className="visually-hidden"> (not yet)</span>
          )}
        </li>
      ))}
    </ol>
  );
}

/** Asks before doing something that cannot be undone. */
export function ConfirmButton({
  label,
  question,
  yes,
  no,
  busy,
  onConfirm,
}: {
  label: string;
  question: string;
  yes: string;
  no: string;
  busy: boolean;
  onConfirm: () => void;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="outline-danger" onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <fieldset className="stack confirm">
      <legend>{question}</legend>
      <div className="row">
        <button type="button" className="danger" disabled={busy} onClick={onConfirm}>
          {busy ? 'Working…' : yes}
        </button>
        <button type="button" onClick={() => setAsking(false)}>
          {no}
        </button>
      </div>
    </fieldset>
  );
}
