import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { testConfig } from '../../server/config.ts';
import type { Deps } from '../../server/deps.ts';

// Every request here is refused by its route's declared schemas before anything touches Redis.
const app = createApp(
  { redis: undefined, config: testConfig({ rateLimitPerMinute: 0 }) } as unknown as Deps,
  { webRoot: '/nonexistent' },
);

async function post(path: string, body: string, headers: Record<string, string>) {
  const res = await app.request(path, { method: 'POST', body, headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('declared routes refuse bad input with the one error shape', () => {
  it('names each wrong field of a body that fails its schema', async () => {
    const res = await post('/api/enroll', JSON.stringify({ code: 'ab' }), {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', message: 'The request is not valid.' });
    const issues = (res.body.details as { issues: { path: string }[] }).issues.map((i) => i.path);
    expect(issues.sort()).toEqual(['code', 'deviceName']);
  });

  it('refuses a body that is not JSON', async () => {
    const res = await post('/api/enroll', '{not json', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [{ path: '', message: expect.stringContaining('JSON') }] },
    });
  });

  it('refuses a body not labelled as JSON', async () => {
    const res = await post('/api/enroll', JSON.stringify({ code: 'ABCDE-FGHIJ', deviceName: 'T' }), {
      'content-type': 'text/plain',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('refuses a declared body larger than the limit before reading it', async () => {
    const res = await post('/api/enroll', '{}', {
      'content-type': 'application/json',
      'content-length': '2000001',
    });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limitBytes: 2_000_000 } });
  });
});
