/** The repeating jobs of one tablet session, stopped together (tests pass their own). */
export interface Timers {
  every(intervalMs: number, job: () => void): void;
  after(delayMs: number, job: () => void): () => void;
  stopAll(): void;
}

export function createTimers(): Timers {
  const intervals = new Set<ReturnType<typeof setInterval>>();
  const timeouts = new Set<ReturnType<typeof setTimeout>>();
  return {
    every(intervalMs, job) {
      intervals.add(setInterval(job, intervalMs));
    },
    after(delayMs, job) {
      const id = setTimeout(() => {
        timeouts.delete(id);
        job();
      }, delayMs);
      timeouts.add(id);
      return () => {
        clearTimeout(id);
        timeouts.delete(id);
      };
    },
    stopAll() {
      for (const id of intervals) clearInterval(id);
      for (const id of timeouts) clearTimeout(id);
      intervals.clear();
      timeouts.clear();
    },
  };
}
