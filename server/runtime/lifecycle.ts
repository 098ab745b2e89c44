/**
 * A process's way out: cleanups registered as things start, run once, newest first, whoever
 * asks (a signal, a failure, a crash), then the exit. One per process, made by main.ts.
 */
export interface Lifecycle {
  /** Runs `cleanup` on the way out, before the cleanups registered earlier. */
  onStop(cleanup: () => Promise<void> | void): void;
  /** Runs the cleanups once and exits with `code`; later calls wait for the first. */
  stop(code: number): Promise<never>;
  /** Says why on stderr (a person reads it: plain text) and stops with 1. */
  fail(message: string): Promise<never>;
  /** Stops cleanly on SIGINT (Ctrl+C) and SIGTERM, and fails on a crash. */
  handleSignals(): void;
}

export function createLifecycle(say: { error(line: string): void } = console): Lifecycle {
  const cleanups: (() => Promise<void> | void)[] = [];
  let stopping: Promise<never> | undefined;
  const lifecycle: Lifecycle = {
    onStop(cleanup) {
      cleanups.push(cleanup);
    },
    stop(code) {
      stopping ??= (async () => {
        for (const cleanup of cleanups.reverse()) {
          try {
            await cleanup();
          } catch (error) {
            say.error(
              `holdfast: while shutting down: ${error instanceof Error ? error.stack : String(error)}`,
            );
          }
        }
        process.exit(code);
      })();
      return stopping;
    },
    fail(message) {
      say.error(`holdfast: ${message}`);
      return lifecycle.stop(1);
    },
    handleSignals() {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void lifecycle.stop(0));
      process.on(
        'uncaughtException',
        (error) => void lifecycle.fail(`crashed: ${error.stack ?? error.message}`),
      );
      process.on('unhandledRejection', (reason) => void lifecycle.fail(`crashed: ${String(reason)}`));
    },
  };
  return lifecycle;
}
