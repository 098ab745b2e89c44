import { type StoreHours, todayHoursLabel } from '../../shared/opening-hours.ts';
import { useNow } from './use-now.ts';

/** Today's opening hours in the header ("Open today 9:00 AM - 9:00 PM HST"), kept for offline. */
export function TodayHours({ hours, timeZone }: { hours: StoreHours; timeZone: string }) {
  const now = useNow(60_000);
  return (
    <span className="muted" data-testid="store-hours">
      {' · '}
      {todayHoursLabel(hours, now, timeZone)}
    </span>
  );
}
