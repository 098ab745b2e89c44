/**
 * Which of a store document's numbered appends (doc-store.ts) this instance's copy holds: all up
 * to `through`, and some beyond it. Other instances' appends arrive through pub/sub, which may
 * drop a message while its connection is down; a gap that stays open means one was lost, and
 * the copy reloads from Redis.
 */
export class AppliedAppends {
  /** Every append up to this number is held. */
  through = 0;
  /** Since when (by `now`) appends beyond `through` are held while one before them is not. */
  private gapSince: number | undefined;
  private readonly beyond = new Set<number>();

  /** `now` is injected so gap timing can run under fake timers. */
  constructor(private readonly now: () => number = Date.now) {}

  /** This copy now holds every append up to `seq` (it was just loaded from Redis). */
  reset(seq: number): void {
    this.through = Math.max(this.through, seq);
    for (const s of this.beyond) if (s <= this.through) this.beyond.delete(s);
    this.advance();
  }

  /** This copy now holds append `seq` (its own, or another instance's received through pub/sub). */
  mark(seq: number): void {
    if (seq <= this.through) return;
    this.beyond.add(seq);
    this.advance();
  }

  /** Whether an append has been missing for longer than `ms`. */
  hasGapOlderThan(ms: number): boolean {
    return this.gapSince !== undefined && this.now() - this.gapSince > ms;
  }

  private advance(): void {
    while (this.beyond.delete(this.through + 1)) this.through += 1;
    if (this.beyond.size === 0) this.gapSince = undefined;
    else this.gapSince ??= this.now();
  }
}
