import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeAuditStream } from '../../server/audit/streams.ts';
import { readArchiveLag } from '../../server/ledger/archiver.ts';
import type { LedgerDb } from '../../server/ledger/db.ts';
import { seedStore, waitUntil } from '../helpers/fixtures.ts';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { startTestCluster, type TestCluster } from '../helpers/redis-cluster.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import {
  checkLedgerComplete,
  checkTrimmedAreArchived,
  holdLoad,
  killInstance,
  spawnInstance,
} from './kill-harness.ts';

/** Issue 17 §2 on Redis Cluster: each stream read on its own shard, an instance killed mid-archiving. */
const KEEP = 50;
const CLAIM_IDLE_MS = 500;

let cluster: TestCluster;
let pg: TestPostgres;
let ledger: LedgerDb;
let server: TestServer;

beforeAll(async () => {
  // One after the other: each takes free ports just before binding them, and two racing could pick the same.
  cluster = await startTestCluster();
  pg = await startTestPostgres({ fsync: true });
  ledger = pg.db();
  server = await startTestServer(
    cluster,
    { auditKeepInRedis: KEEP },
    {
      ledger,
      archiver: { claimIdleMs: CLAIM_IDLE_MS, claimEveryMs: 200, blockMs: 200, refreshStreamsMs: 200 },
    },
  );
}, 120_000);
afterAll(async () => {
  await server?.close();
  await Promise.all([cluster?.stop(), pg?.stop()]);
});

describe('the ledger on a Redis Cluster (3 primaries, 3 replicas)', () => {
  it('archives every store’s stream on its shard once, when an instance is killed mid-archiving', async () => {
    const stores = ['aiea', 'honolulu', 'kapolei'];
    for (const id of stores) await seedStore(server.url, id, [{ sku: 'KIT', onHand: 100_000 }]);
    const doomed = await spawnInstance({
      REDIS_CLUSTER_NODES: cluster.seeds,
      DATABASE_URL: pg.url,
      ARCHIVER_CLAIM_IDLE_MS: String(CLAIM_IDLE_MS),
      AUDIT_KEEP_IN_REDIS: String(KEEP),
    });
    let urls = [doomed.url, server.url];
    let killed = false;
    const holds = new Map<string, string[]>();
    await Promise.all(
      stores.map(async (storeId) => {
        const ids = await holdLoad(
          () => urls,
          storeId,
          'KIT',
          150,
          3,
          async (made) => {
            if (made >= 60 && !killed) {
              killed = true;
              urls = [server.url];
              await killInstance(doomed.child);
            }
          },
        );
        holds.set(storeId, ids);
      }),
    );
    await waitUntil(
      () => readArchiveLag(server.deps),
      (lag) => lag.entries === 0,
      30_000,
    );
    const admin = cluster.client();
    for (const storeId of stores) {
      const stream = storeAuditStream(storeId);
      expect(await checkTrimmedAreArchived(admin, ledger, stream)).toBeGreaterThan(0);
      await checkLedgerComplete(admin, ledger, stream, holds.get(storeId) ?? []);
    }
  }, 120_000);
});
