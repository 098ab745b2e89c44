import cluster, { type Worker } from 'node:cluster';
import { answerMetricsAsks } from '../observability/cluster-metrics.ts';
import type { Logger } from '../observability/log.ts';

/** A worker says it listens, with its URL, once its instance is up. */
export const LISTENING = 'holdfast:listening';
/** How long workers may close (their open requests finish) before they are killed. */
const STOP_TIMEOUT_MS = 15_000;
/** A worker that dies is replaced, unless workers die this often: then something is wrong. */
const RESTARTS_PER_MINUTE = 5;

export interface Workers {
  /** `http://localhost:<port>`, the one port every worker shares. */
  url: string;
  count: number;
  /** SIGTERM to every worker, then waits for all to exit (SIGKILL after 15 s). */
  stop(): Promise<void>;
}

export interface WorkerOptions {
  count: number;
  /** Added to each worker's environment (the local Redis's URL, the web app's build). */
  env: Record<string, string>;
  log: Logger;
  /** Called when workers keep dying: the primary gives up. */
  onGiveUp(reason: string): void;
}

/**
 * `npm start` on every core (node:cluster): `count` workers, each a whole instance (HTTP,
 * sync socket, sweeper, waiting rooms) on the one port, the primary handing out
 * connections. Resolves once every worker listens; rejects if one cannot start.
 */
export async function startWorkers(options: WorkerOptions): Promise<Workers> {
  const { log } = options;
  answerMetricsAsks();
  let stopping = false;
  const restarts: number[] = [];
  const fork = () => cluster.fork(options.env);
  const listening = (worker: Worker) =>
    new Promise<string>((resolve, reject) => {
      const onMessage = (message: { type?: string; url?: string }) => {
        if (message?.type !== LISTENING || typeof message.url !== 'string') return;
        worker.off('exit', onExit);
        worker.off('message', onMessage);
        resolve(message.url);
      };
      const onExit = (code: number | null, signal: string | null) =>
        reject(new Error(`a worker could not start (${signal ?? `exit ${code}`})`));
      worker.on('message', onMessage);
      worker.once('exit', onExit);
    });

  const first = Array.from({ length: options.count }, fork);
  const urls = await Promise.all(first.map(listening)).catch(async (error: Error) => {
    stopping = true;
    await stopAll();
    throw error;
  });

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    const now = Date.now();
    restarts.push(now);
    while (restarts.length > 0 && (restarts[0] ?? now) < now - 60_000) restarts.shift();
    log.error({ worker: worker.process.pid, code, signal }, 'a worker died');
    if (restarts.length > RESTARTS_PER_MINUTE) {
      options.onGiveUp(`${restarts.length} workers died within a minute; stopping`);
      return;
    }
    const replacement = fork();
    listening(replacement).then(
      () => log.info({ worker: replacement.process.pid }, 'a new worker took its place'),
      (error: Error) => log.error({ err: error }, 'a new worker could not start'),
    );
  });

  async function stopAll(): Promise<void> {
    const running = Object.values(cluster.workers ?? {}).filter(
      (w): w is Worker => w !== undefined && !w.isDead(),
    );
    await Promise.all(
      running.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.process.exitCode !== null || worker.process.signalCode !== null) return resolve();
            const kill = setTimeout(() => worker.process.kill('SIGKILL'), STOP_TIMEOUT_MS);
            worker.process.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            worker.process.kill('SIGTERM');
          }),
      ),
    );
  }

  return {
    url: urls[0] ?? '',
    count: options.count,
    async stop() {
      stopping = true;
      await stopAll();
    },
  };
}
