import { readFileSync } from 'node:fs';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { PRODUCTS_MAP } from '../../shared/store-doc.ts';
import { bearerWebSocket } from '../helpers/tablet-client.ts';
import { faceJsGzipBytes } from './app-size.ts';
import { BENCH_ADMIN_TOKEN, startBenchServer } from './server-process.ts';
import { runWhenMain } from './standalone.ts';

const TABLETS = 100;
const EDITS = 40;
const OFFLINE_EDITS = 1000;
const BIG_STORE_PRODUCTS = 10_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function rssKb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? 0);
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

async function api(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${BENCH_ADMIN_TOKEN}`,
      'content-type': 'application/json',
      'idempotency-key': `bench-${Date.now()}-${Math.random()}`,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

async function enroll(base: string, storeId: string): Promise<string> {
  const { code } = await api(base, 'POST', `/api/admin/stores/${storeId}/enrollments`);
  const res = await fetch(`${base}/api/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, deviceName: 'bench' }),
  });
  return ((await res.json()) as { credential: string }).credential;
}

function tablet(base: string, storeId: string, token: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${base.replace('http', 'ws')}/sync`, storeId, doc, {
    WebSocketPolyfill: bearerWebSocket(token),
    disableBc: true,
  });
  const synced = new Promise<void>((resolve) => provider.on('sync', (s: boolean) => s && resolve()));
  return { doc, provider, synced };
}

/** Issue 3's sync figures, from one run. */
export async function runSyncBench(log: (line: string) => void) {
  const bench = await startBenchServer();
  const { base, pid } = bench;
  const clients: ReturnType<typeof tablet>[] = [];
  try {
    // Each y-websocket provider in Node listens for process exit; 100 of them are expected here.
    process.setMaxListeners(TABLETS + 20);

    // 100 tablets of one store; memory per tablet from the server's resident size.
    const tokens = await Promise.all(Array.from({ length: TABLETS }, () => enroll(base, 'aiea')));
    const first = tablet(base, 'aiea', tokens[0] ?? '');
    clients.push(first);
    await first.synced;
    const rssBefore = rssKb(pid);
    for (const token of tokens.slice(1)) clients.push(tablet(base, 'aiea', token));
    await Promise.all(clients.map((c) => c.synced));
    const memoryPerTabletKb = (rssKb(pid) - rssBefore) / (TABLETS - 1);

    // Edit on one tablet -> seen by each of the other 99.
    const samples: number[] = [];
    const writer = clients[0];
    if (!writer) throw new Error('no tablets');
    for (let i = 0; i < EDITS; i++) {
      const value = `edit-${i}`;
      const started = performance.now();
      const seenAt = new Map<number, number>();
      const watchers = clients.slice(1).map((c, index) => {
        const onUpdate = () => {
          if (
            !seenAt.has(index) &&
            c.doc.getMap<Y.Map<string>>(PRODUCTS_MAP).get('IPHONE-TRADEIN-KIT')?.get('notes') === value
          ) {
            seenAt.set(index, performance.now() - started);
          }
        };
        c.doc.on('update', onUpdate);
        return () => c.doc.off('update', onUpdate);
      });
      writer.doc.getMap<Y.Map<string>>(PRODUCTS_MAP).get('IPHONE-TRADEIN-KIT')?.set('notes', value);
      await until(() => seenAt.size === TABLETS - 1, 10_000, 'an edit to reach every tablet');
      for (const stop of watchers) stop();
      samples.push(...seenAt.values());
    }
    samples.sort((a, b) => a - b);

    // 1,000 edits made offline, then back in sync (seen by an online tablet).
    const offline = clients[1];
    const observer = clients[2];
    if (!offline || !observer) throw new Error('no tablets');
    offline.provider.disconnect();
    // The socket closes asynchronously; edits made before it has would still be sent live.
    await until(() => !offline.provider.wsconnected, 5_000, 'the tablet to go offline');
    const products = offline.doc.getMap<Y.Map<string>>(PRODUCTS_MAP);
    const skus = [...products.keys()];
    for (let i = 0; i < OFFLINE_EDITS; i++) products.get(skus[i % skus.length] ?? '')?.set('shelf', `S-${i}`);
    const lastSku = skus[(OFFLINE_EDITS - 1) % skus.length] ?? '';
    const reconnectStarted = performance.now();
    offline.provider.connect();
    await until(
      () =>
        observer.doc.getMap<Y.Map<string>>(PRODUCTS_MAP).get(lastSku)?.get('shelf') ===
        `S-${OFFLINE_EDITS - 1}`,
      30_000,
      'offline edits to arrive',
    );
    const offlineResyncMs = performance.now() - reconnectStarted;

    // First sync of a store with 10,000 products.
    await api(base, 'PUT', '/api/admin/stores/big', {
      id: 'big',
      name: 'Big store',
      address: '1 Big St',
      phone: '808-555-0199',
      timeZone: 'Pacific/Honolulu',
      latitude: 21.3,
      longitude: -157.8,
    });
    const big = Array.from({ length: BIG_STORE_PRODUCTS }, (_, i) => ({
      sku: `BIG-${i}`,
      name: `Product number ${i} with a realistic name`,
      category: `Category ${i % 40}`,
      priceLabel: `$${(i % 300) + 0.99}`,
      onHand: i % 50,
    }));
    await api(base, 'POST', '/api/admin/stores/big/products', { products: big });
    const warm = tablet(base, 'big', await enroll(base, 'big'));
    clients.push(warm);
    await warm.synced; // the server builds and stores the document once
    const cold = tablet(base, 'big', await enroll(base, 'big'));
    clients.push(cold);
    const firstSyncStarted = performance.now();
    await cold.synced;
    await until(
      () => cold.doc.getMap(PRODUCTS_MAP).size === BIG_STORE_PRODUCTS,
      30_000,
      'the big store to load',
    );
    const firstSyncMs = performance.now() - firstSyncStarted;
    const firstSyncBytes = Y.encodeStateAsUpdate(cold.doc).length;

    return {
      tablets: TABLETS,
      propagationP50Ms: percentile(samples, 50),
      propagationP99Ms: percentile(samples, 99),
      samples: samples.length,
      offlineEdits: OFFLINE_EDITS,
      offlineResyncMs,
      bigStoreProducts: BIG_STORE_PRODUCTS,
      firstSyncMs,
      firstSyncBytes,
      memoryPerTabletKb,
      appJsGzipBytes: faceJsGzipBytes().staff,
    };
  } finally {
    // A document's awareness keeps an interval alive until the document itself is destroyed.
    for (const c of clients) {
      c.provider.destroy();
      c.doc.destroy();
    }
    await bench.stop();
    log('');
  }
}

runWhenMain(import.meta.url, () => runSyncBench(() => {}), 2);
