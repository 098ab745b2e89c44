import { z } from 'zod';

/** `POST /api/enroll`: a tablet trades an admin's one-time code for its credential. */
export const enrollSchema = z
  .object({ code: z.string().trim().min(5).max(20), deviceName: z.string().trim().min(1).max(60) })
  .strict();
