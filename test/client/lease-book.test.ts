import { describe, expect, it } from 'vitest';
import { LeaseBook } from '../../client/offline/lease-book.ts';
import { freshDb } from './tablet-parts.ts';

const HOUR = 60 * 60 * 1000;
const server = (sku: string, quantity: number) => ({ deviceId: 'dev-1', sku, quantity, expiresAt: 8 * HOUR });

describe('the lease book', () => {
  it('records what the server confirmed, with staff’s own part growing and going', async () => {
    const book = new LeaseBook(freshDb('leases'), () => HOUR);
    await book.confirm(server('KIT', 3), { by: 'staff', took: 3, gaveBack: false });
    expect((await book.read()).KIT).toMatchObject({ quantity: 3, keptByHand: 3, confirmedAt: HOUR });
    await book.confirm(server('KIT', 5), { by: 'policy', took: 2, gaveBack: false });
    expect((await book.read()).KIT).toMatchObject({ quantity: 5, keptByHand: 3 });
    await book.confirm(server('KIT', 2), { by: 'staff', took: 0, gaveBack: true });
    expect((await book.read()).KIT).toMatchObject({ quantity: 2, keptByHand: 0 });
  });

  it('takes the server’s list as the truth: a lease it no longer has goes, staff’s part stays', async () => {
    const book = new LeaseBook(freshDb('leases'), () => HOUR);
    await book.confirm(server('KIT', 3), { by: 'staff', took: 2, gaveBack: false });
    await book.confirm(server('CASE', 1), { by: 'policy', took: 1, gaveBack: false });
    await book.replaceFromServer([server('KIT', 4)]);
    const leases = await book.read();
    expect(Object.keys(leases)).toEqual(['KIT']);
    expect(leases.KIT).toMatchObject({ quantity: 4, keptByHand: 2 });
  });

  it('asks the automatic rule with the accepted sales on disk', async () => {
    const db = freshDb('leases');
    const now = 10 * HOUR;
    const book = new LeaseBook(db, () => now);
    for (let i = 0; i < 6; i++) await db.sales.add({ sku: 'KIT', quantity: 2, at: now - i * HOUR });
    const actions = await book.policyActions({}, { KIT: { available: 50 } });
    expect(actions.map((a) => a.command.name)).toEqual(['lease.take']);
    expect(actions[0]?.leaseBy).toBe('policy');
    expect(await book.policyActions({}, { KIT: { available: 0 } })).toEqual([]);
  });
});
