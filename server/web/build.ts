import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/** Where `npm start` builds the web app, one directory per server process. */
export const BUILDS_DIR = resolve('dist/builds');

/**
 * Issue 8.11: `npm start` used to build into the directory a running server serves, before
 * finding the port taken, so every open tablet got a "new version" banner. Each server now
 * serves its own build (`dist/builds/<pid>`), made only after the checks that can refuse.
 */
export function buildOwnWebApp(isRunning: (pid: number) => boolean): string {
  mkdirSync(BUILDS_DIR, { recursive: true });
  for (const name of readdirSync(BUILDS_DIR)) {
    const pid = Number(name);
    if (Number.isInteger(pid) && pid !== process.pid && !isRunning(pid))
      rmSync(join(BUILDS_DIR, name), { recursive: true, force: true });
  }
  const outDir = join(BUILDS_DIR, String(process.pid));
  const vite = resolve('node_modules/vite/bin/vite.js');
  const run = spawnSync(
    process.execPath,
    [vite, 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'],
    {
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: 'inherit',
    },
  );
  if (run.status !== 0) throw new Error(`vite build failed (exit ${run.status})`);
  return outDir;
}

/** Resolves when `port` can be listened on now; rejects with the reason (EADDRINUSE) otherwise. */
export function checkPortFree(port: number): Promise<void> {
  return new Promise((resolveFree, rejectTaken) => {
    const probe = createServer();
    probe.once('error', rejectTaken);
    probe.listen(port, () => probe.close(() => resolveFree()));
  });
}
