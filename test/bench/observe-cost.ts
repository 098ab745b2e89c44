import { openSync } from 'node:fs';
import { Hono } from 'hono';
import { pino } from 'pino';
import type { AppEnv } from '../../server/deps.ts';
import { observeRequests } from '../../server/http/observe.ts';
import { createInstruments } from '../../server/observability/instruments.ts';
import { createLogger, type LogLevel } from '../../server/observability/log.ts';
import { runWhenMain } from './standalone.ts';

const REQUESTS = 100_000;
const ROUNDS = 5;

/** A route with a template and a JSON answer, as /api/holds/:holdId is; nothing else. */
function appWith(observe: boolean, metrics: boolean, level: LogLevel) {
  const app = new Hono<AppEnv>();
  const log = createLogger({
    level,
    destination: pino.destination({ dest: openSync('/dev/null', 'w'), sync: true }),
  });
  if (observe) app.use('*', observeRequests({ log, metrics: createInstruments({ enabled: metrics }) }));
  app.get('/api/holds/:holdId', (c) => c.json({ id: c.req.param('holdId'), status: 'held' }));
  return app;
}

/** Server CPU (this process's user + system time) per request, median of ROUNDS, in µs. */
async function cpuPerRequest(app: Hono<AppEnv>): Promise<number> {
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const before = process.cpuUsage();
    for (let i = 0; i < REQUESTS; i++) await app.request(`/api/holds/h${i}`);
    const used = process.cpuUsage(before);
    rounds.push((used.user + used.system) / REQUESTS);
  }
  rounds.sort((a, b) => a - b);
  return Math.round((rounds[Math.floor(ROUNDS / 2)] ?? 0) * 100) / 100;
}

/**
 * What the request instruments (http/observe.ts) cost per request, in one process through
 * app.request (no sockets, no Redis): without them, with the log line only (METRICS=off),
 * and with the log line and the Prometheus figures; the log goes to /dev/null.
 */
export async function runObserveCostBench() {
  const bare = await cpuPerRequest(appWith(false, false, 'info'));
  const logOnly = await cpuPerRequest(appWith(true, false, 'info'));
  const logAndMetrics = await cpuPerRequest(appWith(true, true, 'info'));
  const metricsOnly = await cpuPerRequest(appWith(true, true, 'warn'));
  return {
    requestsPerRound: REQUESTS,
    bareUs: bare,
    logLineUs: Math.round((logOnly - bare) * 100) / 100,
    metricsUs: Math.round((logAndMetrics - logOnly) * 100) / 100,
    metricsWithoutLogUs: Math.round((metricsOnly - bare) * 100) / 100,
  };
}

runWhenMain(import.meta.url, runObserveCostBench, 1);
