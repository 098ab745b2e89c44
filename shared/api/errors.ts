import { z } from 'zod';
import { ERROR_MESSAGES, type ErrorBody, type ErrorCode } from '../errors.ts';

const ERROR_CODES = Object.keys(ERROR_MESSAGES) as [ErrorCode, ...ErrorCode[]];

/** The one wire shape of every error, `{ code, message, details? }` (see shared/errors.ts). */
export const errorBodySchema = z
  .object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

// The schema and the hand-written interface describe one shape.
export type ErrorBodyWire = z.infer<typeof errorBodySchema> & ErrorBody;
