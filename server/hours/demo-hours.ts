import type { HoursException, StoreHours } from '../../shared/opening-hours.ts';

const long = [{ opens: '09:00', closes: '21:00' }];

/** Thanksgiving: the fourth Thursday of November. */
function thanksgiving(year: number): string {
  const firstWeekday = new Date(Date.UTC(year, 10, 1)).getUTCDay();
  const firstThursday = 1 + ((4 - firstWeekday + 7) % 7);
  return `${year}-11-${String(firstThursday + 21).padStart(2, '0')}`;
}

function holidays(year: number): HoursException[] {
  const day = (date: string, label: string, ranges: HoursException['ranges'] = []) => ({
    from: date,
    to: date,
    label,
    ranges,
  });
  return [
    day(`${year}-01-01`, 'New Year’s Day', [{ opens: '10:00', closes: '18:00' }]),
    day(thanksgiving(year), 'Thanksgiving'),
    day(`${year}-12-24`, 'Christmas Eve', [{ opens: '09:00', closes: '18:00' }]),
    day(`${year}-12-25`, 'Christmas Day'),
  ];
}

/** The demo stores' hours: 9 to 9, Sundays 10 to 7, and this year's and next year's holidays. */
export function demoStoreHours(year: number): StoreHours {
  return {
    weekly: {
      sun: [{ opens: '10:00', closes: '19:00' }],
      mon: long,
      tue: long,
      wed: long,
      thu: long,
      fri: long,
      sat: long,
    },
    exceptions: [...holidays(year), ...holidays(year + 1)],
  };
}
