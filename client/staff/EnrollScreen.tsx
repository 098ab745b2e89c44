import { type FormEvent, useState } from 'react';

type OnEnroll = (code: string, deviceName: string) => Promise<void>;

/** The enrollment code and the tablet's name; used at first run and after a removal. */
export function EnrollForm({
  onEnroll,
  defaultName = '',
}: {
  onEnroll: OnEnroll;
  defaultName?: string | undefined;
}) {
  // The admin's QR code opens /staff/?code=...: the code is filled in, the person only confirms.
  const [code, setCode] = useState(() => new URLSearchParams(window.location.search).get('code') ?? '');
  const [name, setName] = useState(defaultName);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onEnroll(code.trim(), name.trim());
    } catch (failure) {
      setError(
        failure instanceof TypeError
          ? 'No connection to the server. Enrolling needs the network once; try again when online.'
          : failure instanceof Error
            ? failure.message
            : String(failure),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="stack">
      <label>
        Enrollment code
        <input
          name="code"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoComplete="off"
          autoCapitalize="characters"
          required
          minLength={5}
        />
      </label>
      <label>
        Name for this tablet
        <input
          name="deviceName"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="Front counter"
          required
          maxLength={60}
        />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? 'Enrolling…' : 'Enroll tablet'}
      </button>
    </form>
  );
}

/** First run: an admin gives a one-time code that binds this tablet to its store. */
export function EnrollScreen({ onEnroll }: { onEnroll: OnEnroll }) {
  return (
    <main className="page narrow">
      <h1>Set up this tablet</h1>
      <p>Ask an admin for an enrollment code for your store. It works once.</p>
      <EnrollForm onEnroll={onEnroll} />
    </main>
  );
}
