/**
 * Prints `/api/openapi.json` as the server serves it, for `redocly lint` (npm run lint:api).
 * Building the app touches no Redis: only its routes table is read.
 */
import { createApp } from '../server/app.ts';
import { testConfig } from '../server/config.ts';
import type { Deps } from '../server/deps.ts';

const app = createApp({ config: testConfig({ rateLimitPerMinute: 0 }) } as unknown as Deps, {
  webRoot: '/nonexistent',
});
const response = await app.request('/api/openapi.json');
if (!response.ok) throw new Error(`GET /api/openapi.json answered ${response.status}`);
process.stdout.write(`${JSON.stringify(await response.json(), null, 2)}\n`);
