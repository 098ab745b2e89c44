import type { Enrollment, OutboxEntry } from './db.ts';

/** Everything not yet accepted by the server, as a file staff can keep (issue 8.4). */
export function unsentExport(
  enrollment: Enrollment | undefined,
  entries: readonly OutboxEntry[],
  now: number,
): string {
  return JSON.stringify(
    {
      exportedAt: new Date(now).toISOString(),
      storeId: enrollment?.storeId,
      deviceId: enrollment?.deviceId,
      deviceName: enrollment?.deviceName,
      actions: entries.map((e) => ({
        label: e.label,
        idempotencyKey: e.key,
        command: e.command,
        madeAt: new Date(e.createdAt).toISOString(),
        state: e.state,
        ...(e.error ? { error: `${e.error.code}: ${e.error.message}` } : {}),
      })),
    },
    null,
    2,
  );
}
