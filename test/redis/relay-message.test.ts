import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendUpdate, docKeys } from '../../server/sync/doc-store.ts';
import { encodeRelayMessage, parseRelayMessage, RELAY_VERSION } from '../../server/sync/relay-message.ts';
import { waitUntil } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.stop();
});

describe('the relay format between instances', () => {
  it('reads what append-update.lua publishes: the update, its number and its sender', async () => {
    const subscriber = redis.client();
    const received: Buffer[] = [];
    subscriber.on('messageBuffer', (_channel: Buffer, raw: Buffer) => received.push(raw));
    await subscriber.subscribe(docKeys('aiea').channel);
    // Bytes a Yjs update may hold: newlines, the old separator, zeros.
    const update = new Uint8Array([0x0a, 0x7c, 0x00, 0xff, 0x0a]);
    await appendUpdate(redis.client(), 'aiea', update, 'instance-a');
    await appendUpdate(redis.client(), 'aiea', new Uint8Array([1]), 'instance-a');
    await waitUntil(
      async () => received.length,
      (n) => n === 2,
    );
    expect(received.map((raw) => parseRelayMessage(raw))).toEqual([
      { kind: 'update', seq: 1, instanceId: 'instance-a', payload: update },
      { kind: 'update', seq: 2, instanceId: 'instance-a', payload: new Uint8Array([1]) },
    ]);
  });

  it('round-trips an awareness message whatever its payload bytes', () => {
    const payload = new Uint8Array([0x0a, 0x7b, 0x0a]);
    const raw = encodeRelayMessage({ v: RELAY_VERSION, kind: 'awareness', instanceId: 'b' }, payload);
    expect(parseRelayMessage(raw)).toEqual({ kind: 'awareness', seq: 0, instanceId: 'b', payload });
  });

  it('ignores messages in another format or version', () => {
    expect(parseRelayMessage(Buffer.from('u|1|a|xyz'))).toBeUndefined();
    expect(
      parseRelayMessage(Buffer.from('{"v":2,"kind":"update","seq":1,"instanceId":"a"}\nx')),
    ).toBeUndefined();
    expect(
      parseRelayMessage(Buffer.from('{"v":1,"kind":"update","seq":0,"instanceId":"a"}\nx')),
    ).toBeUndefined();
    expect(parseRelayMessage(Buffer.from('{not json\nx'))).toBeUndefined();
  });
});
