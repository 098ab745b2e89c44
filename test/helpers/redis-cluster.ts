import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { freePort, type LocalRedis, startLocalRedis } from '../../server/runtime/local-redis.ts';

const PRIMARIES = 3;
const REPLICAS_PER_PRIMARY = 1;

export interface TestCluster {
  nodes: LocalRedis[];
  /** `host:port,...` of every node, as REDIS_CLUSTER_NODES takes them. */
  seeds: string;
  /** A new cluster client; closed by stop(). */
  client(): Cluster;
  /** The node serving a key's slot now (a primary). */
  primaryOf(key: string): Promise<LocalRedis>;
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real Redis Cluster of the test's own: 3 primaries and 3 replicas on free loopback ports
 * (`redis-server --cluster-enabled yes`, then `redis-cli --cluster create ... --cluster-replicas 1`),
 * each with its own data directory, resolved once every slot is served.
 */
export async function startTestCluster(): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'holdfast-cluster-'));
  const nodes: LocalRedis[] = [];
  const clients: (Cluster | Redis)[] = [];
  const stop = async () => {
    // disconnect, not quit: a cluster client with sharded subscribers can wait long on QUIT.
    for (const c of clients) c.disconnect();
    // SIGKILL: a primary asked to stop waits for its replicas (shutdown-timeout, 10 s), and the
    // test's data is thrown away anyway.
    for (const n of nodes) n.process.kill('SIGKILL');
    await Promise.all(nodes.map((n) => n.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < PRIMARIES * (1 + REPLICAS_PER_PRIMARY); i++) {
      const nodeDir = join(dir, `node-${i}`);
      nodes.push(
        await startLocalRedis({
          dir: nodeDir,
          appendfsync: 'everysec',
          extraArgs: [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            join(nodeDir, 'nodes.conf'),
            // The bus port is chosen too: port + 10000 may be taken or out of range.
            '--cluster-port',
            String(await freePort()),
            '--cluster-node-timeout',
            '1000',
          ],
        }),
      );
    }
    const create = spawnSync(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...nodes.map((n) => `127.0.0.1:${n.port}`),
        '--cluster-replicas',
        String(REPLICAS_PER_PRIMARY),
        '--cluster-yes',
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (create.status !== 0)
      throw new Error(`redis-cli --cluster create failed:\n${create.stdout}${create.stderr}`);
    await waitForClusterOk(nodes);
  } catch (error) {
    await stop();
    throw error;
  }
  const seeds = nodes.map((n) => `127.0.0.1:${n.port}`).join(',');
  const client = () => {
    const c = createTestClusterClient(seeds);
    clients.push(c);
    return c;
  };
  const admin = client();
  return {
    nodes,
    seeds,
    client,
    async primaryOf(key: string) {
      const slot = Number(await admin.cluster('KEYSLOT', key));
      const slots = await admin.cluster('SLOTS');
      const owner = slots.find(([from, to]) => slot >= from && slot <= to)?.[2]?.[1];
      const node = nodes.find((n) => n.port === owner);
      if (!node) throw new Error(`no primary serves slot ${slot}`);
      return node;
    },
    async flush() {
      // Every node that is a primary now (a failover may have swapped roles); replicas follow.
      await Promise.all(
        nodes.map(async (node) => {
          const direct = new Redis({ port: node.port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
          try {
            const [role] = (await direct.role()) as [string];
            if (role === 'master') await direct.flushall();
          } catch {
            // A node that was killed by a failover test has nothing to flush.
          } finally {
            direct.disconnect();
          }
        }),
      );
    },
    stop,
  };
}

/** A cluster client as the server makes one (server/redis/client.ts), for tests. */
export function createTestClusterClient(seeds: string): Cluster {
  return new Cluster(
    seeds.split(',').map((seed) => {
      const [host, port] = seed.split(':');
      return { host: host ?? '127.0.0.1', port: Number(port) };
    }),
    { shardedSubscribers: true, redisOptions: { maxRetriesPerRequest: 1 } },
  );
}

async function waitForClusterOk(nodes: LocalRedis[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (const node of nodes) {
    const probe = new Redis({ port: node.port, host: '127.0.0.1', lazyConnect: true });
    try {
      await probe.connect();
      for (;;) {
        const info = String(await probe.cluster('INFO'));
        const replication = String(await probe.info('replication'));
        // A replica counts once its link to its primary is up (WAIT and failover need it).
        const linked = !replication.includes('role:slave') || replication.includes('master_link_status:up');
        if (info.includes('cluster_state:ok') && info.includes('cluster_slots_ok:16384') && linked) break;
        if (Date.now() > deadline) throw new Error(`cluster not ready on ${node.port}:\n${info}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      probe.disconnect();
    }
  }
}
