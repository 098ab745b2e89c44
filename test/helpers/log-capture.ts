import { createLogger, type Logger, type LogLevel } from '../../server/observability/log.ts';

export interface CapturedLog {
  log: Logger;
  /** Every line written so far, exactly as it would reach stdout. */
  text(): string;
  /** The lines as JSON records. */
  records(): Record<string, unknown>[];
}

/** The server's own logger (redaction and all), writing to memory instead of stdout. */
export function captureLog(level: LogLevel = 'trace'): CapturedLog {
  const chunks: string[] = [];
  const log = createLogger({ level, destination: { write: (chunk: string) => void chunks.push(chunk) } });
  const text = () => chunks.join('');
  return {
    log,
    text,
    records: () =>
      text()
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
