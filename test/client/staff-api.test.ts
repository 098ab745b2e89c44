import { describe, expect, it } from 'vitest';
import { StaffApi } from '../../client/offline/staff-api.ts';

const who = { storeId: 'aiea', credential: 'cred' };

/** The network as the tablet sees it: each request answered by `answer`, and kept. */
function network(answer: (url: string) => Response | 'down') {
  const requests: { url: string; init: RequestInit | undefined }[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    requests.push({ url, init });
    const response = answer(url);
    if (response === 'down') throw new TypeError('fetch failed');
    return response;
  }) as typeof fetch;
  return { api: new StaffApi('http://shop', fetchImpl), requests };
}

const hours = { weekly: {}, exceptions: [] };
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('the staff API', () => {
  it('trades the credential for a one-time socket ticket, never putting it in a URL', async () => {
    const { api, requests } = network(() => json({ ticket: 't-1' }));
    expect(await api.syncTicket(who)).toEqual({ ticket: 't-1' });
    expect(requests[0]?.url).toBe('http://shop/api/staff/aiea/sync-ticket');
    expect(requests[0]?.url).not.toContain('cred');
    expect(new Headers(requests[0]?.init?.headers).get('authorization')).toBe('Bearer cred');
  });

  it('tells a removed tablet from an unreachable server', async () => {
    expect(await network(() => json({ code: 'DEVICE_REVOKED' }, 401)).api.syncTicket(who)).toBe('revoked');
    expect(await network(() => json({}, 503)).api.syncTicket(who)).toBe('unreachable');
    expect(await network(() => 'down').api.syncTicket(who)).toBe('unreachable');
    expect(await network(() => json({})).api.syncTicket(undefined)).toBe('revoked');
    expect(await network(() => new Response(null, { status: 401 })).api.putStatus(who, {} as never)).toBe(
      'revoked',
    );
  });

  it('reads leases, the store and the audit log, and throws on a refusal so the cache stays', async () => {
    const { api, requests } = network((url) =>
      url.endsWith('/leases')
        ? json({ leases: [{ deviceId: 'd', sku: 'KIT', quantity: 1, expiresAt: 5 }] })
        : url.endsWith('/stock')
          ? json({ store: { id: 'aiea', name: 'Aiea', timeZone: 'Pacific/Honolulu', hours }, stock: [] })
          : json({ entries: [{ type: 'hold.cancel', at: 1, data: { holdId: 'h1' } }] }),
    );
    expect(await api.leases(who)).toHaveLength(1);
    expect(await api.storeInfo(who)).toEqual({ name: 'Aiea', timeZone: 'Pacific/Honolulu', hours });
    expect(await api.auditEntries(who)).toHaveLength(1);
    expect(requests.map((r) => r.url)).toEqual([
      'http://shop/api/staff/aiea/leases',
      'http://shop/api/staff/aiea/stock',
      'http://shop/api/staff/aiea/audit?limit=500',
    ]);
    await expect(network(() => json({ code: 'DEVICE_REVOKED' }, 401)).api.leases(who)).rejects.toThrow('401');
  });
});
