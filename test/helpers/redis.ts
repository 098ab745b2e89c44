import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { type LocalRedis, startLocalRedis } from '../../server/runtime/local-redis.ts';

export interface TestRedis {
  server: LocalRedis;
  url: string;
  /** A new client; closed by stop(). */
  client(): Redis;
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/** A real redis-server of the test's own, on a free port, in a temporary directory. */
export async function startTestRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'holdfast-redis-'));
  const server = await startLocalRedis({ dir, appendfsync: 'everysec' });
  const clients: Redis[] = [];
  const client = () => {
    const c = new Redis(server.url, { maxRetriesPerRequest: 1 });
    clients.push(c);
    return c;
  };
  const admin = client();
  return {
    server,
    url: server.url,
    client,
    async flush() {
      await admin.flushall();
    },
    async stop() {
      await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
