import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../helpers/redis-cluster.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster();
}, 60_000);
afterAll(() => cluster?.stop());

it('starts a cluster whose stores land on different primaries', async () => {
  const c = cluster.client();
  await c.set('{st:aiea}:x', '1');
  expect(await c.get('{st:aiea}:x')).toBe('1');
  const owners = new Set(
    await Promise.all(
      ['{st:aiea}:x', '{st:honolulu}:x', '{st:kapolei}:x', '{ev:iphone-launch-trade-in}:x'].map(
        async (k) => (await cluster.primaryOf(k)).port,
      ),
    ),
  );
  expect(owners.size).toBeGreaterThan(1);
});
