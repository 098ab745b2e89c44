import { z } from 'zod';
import { enrolledDeviceSchema } from '../../shared/api/enrollment.ts';
import type { Enrollment } from './db.ts';

const refusalSchema = z.object({ message: z.string() }).partial();

/**
 * Trades an admin's one-time code for this tablet's credential. Throws with the server's
 * message when refused, and a TypeError (from fetch) when there is no network.
 */
export async function requestEnrollment(
  baseUrl: string,
  code: string,
  deviceName: string,
  now: number,
  fetchImpl: typeof fetch = fetch,
): Promise<Enrollment> {
  const response = await fetchImpl(`${baseUrl}/api/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, deviceName }),
  });
  const body: unknown = await response.json();
  if (!response.ok) throw new Error(refusalSchema.parse(body).message ?? 'Enrollment failed.');
  return { id: 'self', ...enrolledDeviceSchema.parse(body), deviceName, enrolledAt: now };
}
