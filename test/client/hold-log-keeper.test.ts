import { describe, expect, it } from 'vitest';
import type { HoldLogRecord } from '../../client/offline/hold-log.ts';
import { HOLD_LOG_KEEP_MS } from '../../client/offline/hold-log.ts';
import { HoldLogKeeper } from '../../client/offline/hold-log-keeper.ts';
import { freshDb, holdOf } from './tablet-parts.ts';

function keeper(now = 1_000) {
  const db = freshDb('holdlog');
  const state = { erased: false, shown: [] as HoldLogRecord[] };
  const log = new HoldLogKeeper(db, {
    now: () => now,
    erased: () => state.erased,
    onChange: (records) => {
      state.shown = records;
    },
  });
  return { db, log, state };
}

describe('the hold log keeper', () => {
  it('records the open holds, and closes one as this tablet’s step ended it', async () => {
    const { log, state } = keeper();
    await log.sawOpen([holdOf('h1', 10), holdOf('h2', 20)]);
    expect(state.shown.map((r) => r.id).sort()).toEqual(['h1', 'h2']);
    await log.closed('h1', 'fulfilled');
    expect(state.shown.find((r) => r.id === 'h1')).toMatchObject({ closedAs: 'fulfilled', closedAt: 1_000 });
    await log.closed('unknown', 'cancelled');
    expect(state.shown).toHaveLength(2);
  });

  it('applies changes one at a time, in the order asked', async () => {
    const { log, state } = keeper();
    void log.sawOpen([holdOf('h1', 10)]);
    void log.closed('h1', 'cancelled');
    await log.settled();
    expect(state.shown).toEqual([expect.objectContaining({ id: 'h1', closedAs: 'cancelled' })]);
  });

  it('writes nothing once the tablet was removed (customers’ names stay erased)', async () => {
    const { db, log, state } = keeper();
    state.erased = true;
    await log.sawOpen([holdOf('h1', 10)]);
    expect(await db.holdLog.count()).toBe(0);
  });

  it('drops records closed longer ago than "done today" needs, as it loads', async () => {
    const now = 10 * HOLD_LOG_KEEP_MS;
    const { db, log } = keeper(now);
    await db.holdLog.bulkPut([
      { id: 'old', hold: holdOf('old', 1), closedAs: 'fulfilled', closedAt: now - HOLD_LOG_KEEP_MS - 1 },
      { id: 'recent', hold: holdOf('recent', 2), closedAs: 'fulfilled', closedAt: now - 1 },
      { id: 'open', hold: holdOf('open', 3) },
    ]);
    expect((await log.load()).map((r) => r.id).sort()).toEqual(['open', 'recent']);
  });
});
