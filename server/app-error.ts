import { ERROR_MESSAGES, type ErrorCode } from '../shared/errors.ts';

/**
 * A refusal thrown anywhere in a request, by domain code or a route; the HTTP layer's
 * `onError` turns it into `{ code, message, details? }` with the code's status.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly details?: Record<string, unknown>,
    message?: string,
  ) {
    super(message ?? ERROR_MESSAGES[code]);
  }
}
