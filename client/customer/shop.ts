import type { Store } from '../../shared/api/stores.ts';

/** What the stores' names are split at: "BetterBuy - Aiea" is the shop "BetterBuy", store "Aiea". */
const SEPARATOR = /\s+[-–—·|:]\s+/;

/**
 * The shop's name as its customers know it (issue 16 §10): the part every store's name shares
 * before a separator ("BetterBuy - Aiea", "BetterBuy - Kapolei" -> "BetterBuy"). A retailer whose
 * stores share no such part gets "Our stores".
 */
export function shopName(stores: readonly Pick<Store, 'name'>[] | undefined): string {
  const heads = (stores ?? []).map((s) => s.name.split(SEPARATOR)[0]?.trim() ?? '');
  const first = heads[0];
  if (!first || heads.some((h) => h !== first)) return 'Our stores';
  return first;
}

/** "tel:+18085550101": the number a phone dials, from the number as printed. */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^0-9+]/g, '')}`;
}
