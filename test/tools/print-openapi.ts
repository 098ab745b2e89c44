/**
 * Prints `/api/openapi.json` as the server serves it, for `redocly lint` (npm run lint:api).
 * Building the app touches no Redis: only its routes table is read.
 */
import { createApp } from '../../server/app.ts';
import { testConfig } from '../../server/config.ts';
import type { Deps } from '../../server/deps.ts';
import { createInstruments } from '../../server/observability/instruments.ts';
import { createLogger } from '../../server/observability/log.ts';

const deps = {
  config: testConfig({ rateLimitPerMinute: 0 }),
  log: createLogger({ level: 'silent' }),
  metrics: createInstruments(),
} as unknown as Deps;
const app = createApp(deps, { webRoot: '/nonexistent' });
const response = await app.request('/api/openapi.json');
if (!response.ok) throw new Error(`GET /api/openapi.json answered ${response.status}`);
process.stdout.write(`${JSON.stringify(await response.json(), null, 2)}\n`);
