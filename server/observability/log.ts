import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/** The levels LOG_LEVEL accepts, quietest last. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Fields that may carry a person's name or contact, or a credential, wherever a caller puts
 * them: pino replaces their values before the line is written. The request log itself never
 * logs a body, a header or a raw URL; this is the second line of defence.
 */
const REDACTED_PATHS = [
  'customer',
  'email',
  'phone',
  'contact',
  'token',
  'manageToken',
  'secret',
  'password',
  'credential',
  'authorization',
  'cookie',
  'headers',
  'body',
  '*.customer',
  '*.email',
  '*.phone',
  '*.contact',
  '*.name',
  '*.token',
  '*.manageToken',
  '*.secret',
  '*.password',
  '*.credential',
  '*.authorization',
  '*.cookie',
  '*.headers',
  '*.body',
];

/** An email address, a phone-like run of digits, or a bearer credential inside free text. */
const PERSONAL_TEXT = /[^\s@"'<>]+@[^\s@"'<>]+\.[^\s@"'<>]+|\+?\d[\d ().-]{5,}\d|Bearer\s+\S+/gi;

/** Free text (an error's message) with anything that looks like a contact or a token replaced. */
export function scrubText(text: string): string {
  return text.replace(PERSONAL_TEXT, '[redacted]');
}

/**
 * An error as a log field: its kind, a scrubbed message and where it happened. Errors from a
 * script or a library can quote their arguments (contacts, manage tokens), hence the scrub.
 */
function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: scrubText(String(error)) };
  const frames = (error.stack ?? '').split('\n').slice(1, 8).join('\n');
  const code = (error as NodeJS.ErrnoException).code;
  return {
    type: error.name,
    message: scrubText(error.message),
    ...(code === undefined ? {} : { code }),
    stack: frames,
  };
}

/**
 * pino's `logMethod` hook: the message is free text too. Without one, pino would use an
 * error's own message as the line's message, unscrubbed.
 */
function scrubMessage(this: Logger, args: unknown[], write: (...args: unknown[]) => void): void {
  const [first, second] = args;
  let scrubbed = args;
  if (typeof first === 'string') scrubbed = [scrubText(first), ...args.slice(1)];
  else if (typeof second === 'string') scrubbed = [first, scrubText(second), ...args.slice(2)];
  else {
    const err = (first as { err?: unknown } | null)?.err;
    if (err instanceof Error) scrubbed = [first, scrubText(err.message)];
  }
  write.apply(this, scrubbed);
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; default stdout, one write per line (atomic on a pipe shared by workers). */
  destination?: DestinationStream;
}

/** The server's JSON logger: one line per event, personal data redacted (README, "Logs"). */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError, error: serializeError },
      hooks: { logMethod: scrubMessage },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/**
 * The logger of the per-request line, on the same destination: without redaction, which
 * costs about 9 µs a line (a tenth of a hold's server CPU), because that line is made only of
 * fields http/observe.ts chooses (ids, a route template, a store slug, codes, numbers).
 */
export function createRequestLogger(log: Logger): Logger {
  return pino(
    {
      level: log.level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    (log as unknown as Record<symbol, DestinationStream>)[pino.symbols.streamSym],
  );
}

/** `onError` for a background task: one error line naming the task, the error scrubbed. */
export function logErrorsOf(log: Logger, task: string): (error: unknown) => void {
  return (error) => log.error({ task, err: error }, `${task} failed`);
}
