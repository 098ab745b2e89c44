import { describe, expect, it } from 'vitest';
import { unsentExport } from '../../client/offline/unsent-export.ts';
import { entry } from './tablet-parts.ts';

describe('the unsent-actions file', () => {
  it('lists each action with its idempotency key, its time and the server’s refusal', () => {
    const enrollment = {
      id: 'self' as const,
      deviceId: 'dev-1',
      storeId: 'aiea',
      credential: 'secret',
      deviceName: 'Counter',
      enrolledAt: 0,
    };
    const refused = entry({
      seq: 2,
      key: 'k2',
      state: 'failed',
      error: { code: 'SOLD_OUT', message: 'Sold out.', at: 5 },
    });
    const file = JSON.parse(unsentExport(enrollment, [entry(), refused], Date.UTC(2026, 11, 8)));
    expect(file).toMatchObject({
      exportedAt: '2026-12-08T00:00:00.000Z',
      storeId: 'aiea',
      deviceId: 'dev-1',
      deviceName: 'Counter',
    });
    expect(file.actions).toEqual([
      {
        label: 'Sell 2 × KIT',
        idempotencyKey: 'k1',
        command: entry().command,
        madeAt: '1970-01-01T00:00:01.000Z',
        state: 'pending',
      },
      expect.objectContaining({ idempotencyKey: 'k2', state: 'failed', error: 'SOLD_OUT: Sold out.' }),
    ]);
    expect(JSON.stringify(file)).not.toContain('secret');
  });
});
