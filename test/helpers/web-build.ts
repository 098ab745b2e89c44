import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Builds the web app (with its service worker) into a fresh directory, in its own process
 * as `npm start` does: inside vitest NODE_ENV is "test", which Vite would honour and so
 * build a development bundle (no service worker registration).
 */
export function buildWebApp(buildId = 'test'): string {
  const outDir = mkdtempSync(join(tmpdir(), 'holdfast-web-'));
  const vite = join(process.cwd(), 'node_modules/vite/bin/vite.js');
  const run = spawnSync(
    process.execPath,
    [vite, 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'],
    {
      env: { ...process.env, NODE_ENV: 'production', HOLDFAST_BUILD_ID: buildId },
      encoding: 'utf8',
    },
  );
  if (run.status !== 0) throw new Error(`vite build failed:\n${run.stdout}\n${run.stderr}`);
  return outDir;
}
