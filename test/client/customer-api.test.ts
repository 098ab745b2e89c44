import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { CustomerError, RETRIES_ON_503, sendJson } from '../../client/customer/api.ts';

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const unknown = () =>
  answer(503, { code: 'OUTCOME_UNKNOWN', message: 'retry with the same key' }, { 'retry-after': '1' });

describe('the customer pages’ sendJson', () => {
  const sent: { key: string | null; body: unknown }[] = [];
  let replies: Response[] = [];
  beforeEach(() => {
    vi.useFakeTimers();
    sent.length = 0;
    vi.stubGlobal('fetch', async (_path: string, init: RequestInit) => {
      sent.push({ key: new Headers(init.headers).get('idempotency-key'), body: init.body });
      const reply = replies.shift();
      if (!reply) throw new Error('no reply left');
      return reply;
    });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  const send = () =>
    sendJson('POST', '/api/holds', {
      body: { storeId: 'aiea', sku: 'KIT', quantity: 1 },
      idempotencyKey: 'hold-01J0000000000000000000000',
      schema: z.object({ id: z.string() }),
    });

  it('sends a 503 again after Retry-After with the same key and body, and answers what was made', async () => {
    replies = [unknown(), unknown(), answer(201, { id: 'aiea.H1' })];
    const result = send();
    await vi.advanceTimersByTimeAsync(999);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_001);
    await expect(result).resolves.toEqual({ id: 'aiea.H1' });
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((s) => s.key))).toEqual(new Set(['hold-01J0000000000000000000000']));
    expect(new Set(sent.map((s) => s.body)).size).toBe(1);
  });

  it('tells the person after a few tries, and pressing again would send the same key', async () => {
    replies = Array.from({ length: RETRIES_ON_503 + 1 }, unknown);
    const result = send().catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(RETRIES_ON_503 * 1_000);
    const error = await result;
    expect(error).toBeInstanceOf(CustomerError);
    expect((error as CustomerError).code).toBe('OUTCOME_UNKNOWN');
    expect((error as CustomerError).message).toContain('will not be made twice');
    expect(sent).toHaveLength(RETRIES_ON_503 + 1);
  });

  it('does not send a refusal again', async () => {
    replies = [answer(409, { code: 'SOLD_OUT', message: 'sold out' })];
    await expect(send()).rejects.toMatchObject({ code: 'SOLD_OUT' });
    expect(sent).toHaveLength(1);
  });
});
