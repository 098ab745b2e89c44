/**
 * Failover, measured (issue 9): a hold load on a real Redis Cluster (3 primaries, 3 replicas);
 * during it the primary of the store's hash tag is killed with SIGKILL and its replica is
 * promoted. Afterwards every hold that was acknowledged (201) is looked for: the lost ones are
 * the acknowledged holds the promoted replica never received. Run with REDIS_WAIT_REPLICAS 0
 * and 1; holds/s is measured before the kill.
 */
import { storeKeys } from '../../server/stock/keys.ts';
import { startTestCluster } from '../helpers/redis-cluster.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN } from '../helpers/server.ts';
import { runWhenMain } from './standalone.ts';

const CONNECTIONS = 50;
const KILL_AFTER_MS = 2_000;
const LOAD_MS = 8_000;

export interface FailoverResult {
  waitReplicas: number;
  holdsPerSecondBeforeKill: number;
  acknowledged: number;
  lost: number;
  failedDuringFailover: number;
  /** From the kill to the first hold acknowledged after requests began to fail. */
  msUntilHoldsResumed: number | undefined;
  msFirstFailureAfterKill: number | undefined;
}

export async function runFailover(waitReplicas: number): Promise<FailoverResult> {
  const cluster = await startTestCluster();
  const server = await startTestServer(cluster, { redisWaitReplicas: waitReplicas });
  try {
    await call(server.url, 'PUT', '/api/admin/stores/aiea', {
      token: TEST_ADMIN_TOKEN,
      body: {
        id: 'aiea',
        name: 'Aiea',
        address: '1 Test St',
        phone: '808-555-0100',
        timeZone: 'Pacific/Honolulu',
        latitude: 21.38,
        longitude: -157.93,
      },
    });
    await call(server.url, 'POST', '/api/admin/stores/aiea/products', {
      token: TEST_ADMIN_TOKEN,
      idempotencyKey: newKey('import'),
      body: { products: [{ sku: 'KIT', name: 'Kit', onHand: 100_000 }] },
    });
    const primary = await cluster.primaryOf(storeKeys('aiea').stock);
    const acknowledged: string[] = [];
    let failed = 0;
    let killedAt = 0;
    let resumedAt = 0;
    let firstFailureAt = 0;
    let beforeKill = 0;
    const started = Date.now();
    const deadline = started + LOAD_MS;
    const killer = setTimeout(() => {
      killedAt = Date.now();
      beforeKill = acknowledged.length;
      primary.process.kill('SIGKILL');
    }, KILL_AFTER_MS);
    let n = 0;
    const loop = async () => {
      while (Date.now() < deadline) {
        n += 1;
        const res = await call(server.url, 'POST', '/api/holds', {
          idempotencyKey: newKey('failover'),
          body: {
            storeId: 'aiea',
            sku: 'KIT',
            quantity: 1,
            customer: { name: `C${n}`, email: `c${n}@example.com` },
          },
        }).catch(() => ({ status: 0, body: undefined }));
        if (res.status === 201) {
          acknowledged.push(res.body.id as string);
          if (firstFailureAt > 0 && resumedAt === 0) resumedAt = Date.now();
        } else {
          failed += 1;
          if (killedAt > 0 && firstFailureAt === 0) firstFailureAt = Date.now();
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, loop));
    clearTimeout(killer);
    // Ask the cluster as it is now (the promoted replica serves the slot).
    const check = cluster.client();
    let lost = 0;
    for (let i = 0; i < acknowledged.length; i += 500) {
      const pipeline = check.pipeline();
      for (const id of acknowledged.slice(i, i + 500)) pipeline.exists(storeKeys('aiea').hold(id));
      for (const [, exists] of (await pipeline.exec()) ?? []) if (exists !== 1) lost += 1;
    }
    return {
      waitReplicas,
      holdsPerSecondBeforeKill: Math.round(beforeKill / (KILL_AFTER_MS / 1000)),
      acknowledged: acknowledged.length,
      lost,
      failedDuringFailover: failed,
      msUntilHoldsResumed: resumedAt > 0 ? resumedAt - killedAt : undefined,
      msFirstFailureAfterKill: firstFailureAt > 0 ? firstFailureAt - killedAt : undefined,
    };
  } finally {
    await server.close();
    await cluster.stop();
  }
}

export async function runFailoverBench(): Promise<FailoverResult[]> {
  return [await runFailover(0), await runFailover(1)];
}

runWhenMain(import.meta.url, runFailoverBench, 1);
