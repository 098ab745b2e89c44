import { useEffect, useState } from 'react';
import type { z } from 'zod';
import { CustomerError, newActionKey } from './api.ts';
import { issuesByPath } from './ContactFields.tsx';

/**
 * A form that sends one request: checked with the shared schema first (per-field messages),
 * then sent with an idempotency key made when the person first pressed. Pressing again after a
 * failure sends the same key for the same request, so nothing is made twice; a changed request
 * gets a new key. What was typed is never cleared.
 */
export function useKeyedForm<T>(label: string, schema: z.ZodType<T>) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState<{ body: string; key: string }>();
  // After a refusal of some fields, focus moves to the first one, whose error it names (issue 16 §9).
  const [refusals, setRefusals] = useState(0);
  useEffect(() => {
    if (refusals > 0) document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [refusals]);

  async function submit(
    request: unknown,
    send: (body: T, idempotencyKey: string) => Promise<void>,
  ): Promise<void> {
    setFailure('');
    const parsed = schema.safeParse(request);
    if (!parsed.success) {
      setErrors(issuesByPath(parsed.error.issues));
      setRefusals((n) => n + 1);
      return;
    }
    setErrors({});
    const body = JSON.stringify(parsed.data);
    const key = attempt?.body === body ? attempt.key : newActionKey(label);
    setAttempt({ body, key });
    setBusy(true);
    try {
      await send(parsed.data, key);
    } catch (error) {
      if (error instanceof CustomerError) {
        setFailure(error.message);
        setErrors(error.fields);
        if (Object.keys(error.fields).length > 0) setRefusals((n) => n + 1);
      } else setFailure('Something went wrong. Please try again.');
    } finally {
      setBusy(false);
    }
  }

  return { errors, setErrors, failure, setFailure, busy, submit };
}
