import { z } from 'zod';
import { SLUG_PATTERN } from '../ids.ts';

export const slugSchema = z.string().regex(SLUG_PATTERN, 'lowercase letters, digits and dashes');
export const skuSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash or underscore; at most 64');
/** A count of units in one command; large enough for a delivery, small enough to catch typos. */
export const quantitySchema = z.number().int().min(1).max(100_000);
export const reasonSchema = z.string().trim().min(1).max(200);
/** Whether `YYYY-MM-DD` names a day on the calendar (not 2025-02-30 or 2025-13-45). */
export function isCalendarDate(value: string): boolean {
  const [y, m, d] = value.split('-').map(Number);
  if (y === undefined || m === undefined || d === undefined) return false;
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}
export const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine(isCalendarDate, 'a day that exists on the calendar');

export const customerSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    email: z.email().max(200).optional(),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ().-]{7,24}$/, 'a phone number')
      .optional(),
  })
  .strict()
  .refine((c) => c.email !== undefined || c.phone !== undefined, {
    message: 'an email or a phone number is required',
    path: ['email'],
  });
export type Customer = z.infer<typeof customerSchema>;

/** A customer's details as staff read them back (the request's shape, without its checks). */
export const contactSchema = z
  .object({ name: z.string(), email: z.string().optional(), phone: z.string().optional() })
  .strict();

/**
 * The identity used by "one booking per customer per event": the normalized email when
 * there is one, else the phone's digits (a leading 1 for North America is dropped).
 */
export function customerKey(customer: Pick<Customer, 'email' | 'phone'>): string {
  if (customer.email !== undefined) return `e:${customer.email.trim().toLowerCase()}`;
  let digits = (customer.phone ?? '').replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  return `p:${digits}`;
}
