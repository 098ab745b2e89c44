/**
 * Live updates to many customers (issue 6): 2,000 server-sent event streams open on one
 * instance (the server in its own process), all following one store; each change (a hold) is
 * timed from the request to its arrival at every subscriber. Memory per subscriber is the
 * server's resident memory with the streams open, less before, divided by their number.
 */
import { readFileSync } from 'node:fs';
import { openSse, type SseClient } from '../helpers/sse.ts';
import { startBenchServer } from './server-process.ts';
import { runWhenMain } from './standalone.ts';

const SUBSCRIBERS = 2_000;
const CHANGES = 20;

function residentKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export interface FanoutResult {
  subscribers: number;
  changes: number;
  deliveries: number;
  p50Ms: number;
  p99Ms: number;
  memoryPerSubscriberKb: number;
}

export async function runSseFanoutBench(): Promise<FanoutResult> {
  const server = await startBenchServer();
  const streams: SseClient[] = [];
  try {
    await new Promise((r) => setTimeout(r, 500));
    const before = residentKb(server.pid);
    const sentAt = new Map<number, number>();
    const delays: number[] = [];
    let ready = 0;
    const open = async () => {
      const stream = openSse(`${server.base}/api/live/stores/aiea?sku=IPHONE-TRADEIN-KIT`, {}, (event) => {
        if (event.event === 'ready') ready += 1;
        const match = /"available":(\d+)/.exec(event.data);
        if (event.event === 'availability' && match) {
          const at = sentAt.get(Number(match[1]));
          if (at !== undefined) delays.push(performance.now() - at);
        }
      });
      streams.push(stream);
      await stream.status;
    };
    for (let i = 0; i < SUBSCRIBERS; i += 100) await Promise.all(Array.from({ length: 100 }, open));
    while (ready < SUBSCRIBERS) await new Promise((r) => setTimeout(r, 50));
    const withStreams = residentKb(server.pid);
    for (let i = 0; i < CHANGES; i++) {
      // Each hold leaves one unit fewer: the count identifies the change at the subscriber.
      sentAt.set(100 - (i + 1), performance.now());
      const res = await fetch(`${server.base}/api/holds`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `fanout-${i}-${Date.now()}` },
        body: JSON.stringify({
          storeId: 'aiea',
          sku: 'IPHONE-TRADEIN-KIT',
          quantity: 1,
          customer: { name: `Fan ${i}`, email: `fan${i}@example.com` },
        }),
      });
      if (res.status !== 201) throw new Error(`hold: ${res.status} ${await res.text()}`);
      const deadline = Date.now() + 10_000;
      while (delays.length < (i + 1) * SUBSCRIBERS && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 5));
    }
    const sorted = [...delays].sort((a, b) => a - b);
    return {
      subscribers: SUBSCRIBERS,
      changes: CHANGES,
      deliveries: delays.length,
      p50Ms: Math.round(percentile(sorted, 50)),
      p99Ms: Math.round(percentile(sorted, 99)),
      memoryPerSubscriberKb: Math.round(((withStreams - before) / SUBSCRIBERS) * 10) / 10,
    };
  } finally {
    for (const stream of streams) stream.close();
    await server.stop();
  }
}

runWhenMain(import.meta.url, runSseFanoutBench);
