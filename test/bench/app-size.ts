import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Gzipped bytes of the JavaScript each face's page loads (its entry and every chunk it preloads). */
export function faceJsGzipBytes(): { customer: number; staff: number; admin: number } {
  const outDir = mkdtempSync(join(tmpdir(), 'holdfast-size-'));
  try {
    const run = spawnSync(
      process.execPath,
      ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn', '--outDir', outDir],
      { env: { ...process.env, NODE_ENV: 'production' }, encoding: 'utf8' },
    );
    if (run.status !== 0) throw new Error(`vite build failed: ${run.stderr}`);
    const pageJs = (page: string) => {
      const html = readFileSync(join(outDir, page), 'utf8');
      const files = new Set(html.match(/\/assets\/[^"]+\.js/g) ?? []);
      let total = 0;
      for (const file of files) total += gzipSync(readFileSync(join(outDir, file))).length;
      return total;
    };
    return {
      customer: pageJs('index.html'),
      staff: pageJs('staff/index.html'),
      admin: pageJs('admin/index.html'),
    };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
