import { z } from 'zod';

/** `POST /api/session`: the admin token, exchanged for the console's session cookie. */
export const signInSchema = z.object({ token: z.string().min(1).max(200) }).strict();

export const sessionStateSchema = z.object({ signedIn: z.boolean() });
