import { describe, expect, it } from 'vitest';
import { auditQueryOf, NO_FILTERS, zoneLabel } from '../../client/admin/pages/audit-filters.ts';
import { describeAuditEntry, slotLabel, storeMoment } from '../../client/admin/pages/audit-words.ts';
import { parseAuditEvent } from '../../shared/audit-events.ts';

describe('the audit page’s filters and words', () => {
  it('reads From and To in the store’s zone, whatever the browser’s', () => {
    const q = auditQueryOf({
      ...NO_FILTERS,
      from: '2026-12-07T09:25',
      to: '2026-12-07T09:30',
      timeZone: 'Pacific/Honolulu',
    });
    expect(Number(q.get('from'))).toBe(Date.UTC(2026, 11, 7, 19, 25));
    expect(Number(q.get('to'))).toBe(Date.UTC(2026, 11, 7, 19, 30) + 59_999);
    expect(zoneLabel('Pacific/Honolulu')).toBe('store time, HST');
  });

  it('says a hand-over in words, with the product’s name, and its time in the store’s zone', () => {
    const event = parseAuditEvent('{st:aiea}:audit', [
      '1796700486089-0',
      [
        'type',
        'hold.hand_over',
        'actor',
        '{"role":"staff","deviceId":"D","storeId":"aiea"}',
        'at',
        String(Date.UTC(2026, 11, 7, 19, 25)),
        'data',
        JSON.stringify({
          holdId: 'aiea.H',
          sku: 'CHG-ALOHA-5',
          quantity: 1,
          statusBefore: 'picked',
          statusAfter: 'fulfilled',
        }),
      ],
    ]);
    const entry = { ...event, source: 'st:aiea', names: { actor: 'Front counter', product: 'Car charger' } };
    expect(describeAuditEntry(entry, 'Pacific/Honolulu')).toBe('Hand-over of 1 x Car charger (CHG-ALOHA-5)');
    expect(storeMoment(entry.at, 'Pacific/Honolulu')).toBe('Dec 7, 9:25 AM HST');
    expect(slotLabel('launch.aiea.202612080930')).toBe('9:30 AM, Dec 8');
  });
});
