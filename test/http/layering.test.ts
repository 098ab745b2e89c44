import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SERVER = join(ROOT, 'server');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Each server module's relative imports, as paths from the repository root. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SERVER)) {
    const source = readFileSync(file, 'utf8');
    const targets = [...source.matchAll(/^(?:import|export)[^'"]*?from\s+'(\.[^']+)'/gm)].map(([, spec]) =>
      relative(ROOT, resolve(dirname(file), spec ?? '')),
    );
    graph.set(relative(ROOT, file), targets);
  }
  return graph;
}

/** Folder-level edges (server/stock -> server/http), ignoring imports within a folder. */
function folderOf(path: string): string {
  return dirname(path);
}

describe('server module layering', () => {
  it('keeps domain code (stock, appointments) free of the HTTP layer: only routes.ts imports it', () => {
    const graph = importGraph();
    // The parser sees imports (else the checks below would pass vacuously).
    expect(graph.get('server/stock/routes.ts')).toContain('server/http/route.ts');
    const offenders = [...graph]
      .filter(([file]) => /^server\/(stock|appointments)\//.test(file) && !file.endsWith('/routes.ts'))
      .flatMap(([file, targets]) =>
        targets.filter((t) => t.startsWith('server/http/')).map((t) => `${file} -> ${t}`),
      );
    expect(offenders).toEqual([]);
  });

  it('has no import cycle between the HTTP layer and any capability folder', () => {
    const graph = importGraph();
    const httpReaches = new Set<string>();
    const pending = [...graph.keys()].filter((f) => f.startsWith('server/http/'));
    while (pending.length > 0) {
      const file = pending.pop() ?? '';
      for (const target of graph.get(file) ?? []) {
        if (!httpReaches.has(target)) {
          httpReaches.add(target);
          pending.push(target);
        }
      }
    }
    // Whatever the HTTP layer depends on must not depend back on it.
    const back = [...httpReaches]
      .filter((f) => !f.startsWith('server/http/'))
      .flatMap((f) =>
        (graph.get(f) ?? []).filter((t) => t.startsWith('server/http/')).map((t) => `${f} -> ${t}`),
      );
    expect(back).toEqual([]);
    expect([...httpReaches].map(folderOf).filter((d) => /server\/(stock|appointments)$/.test(d))).toEqual([]);
  });
});
