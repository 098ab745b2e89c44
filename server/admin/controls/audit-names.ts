import type { AdminAuditEntry } from '../../../shared/api/admin-controls.ts';
import { type AuditEvent, deviceOf, skusOf } from '../../../shared/audit-events.ts';
import { readDevice } from '../../auth/devices.ts';
import type { Deps } from '../../deps.ts';
import { storeKeys } from '../../stock/keys.ts';

type Names = NonNullable<AdminAuditEntry['names']>;

const ROLE_NAMES: Record<string, string> = {
  admin: 'Admin',
  customer: 'Customer',
  system: 'Holdfast',
};

/**
 * The names a person reads beside each entry (issue 15 §5): who acted (a tablet's name, "Admin",
 * "Customer", "Holdfast" for expiry) and the product's name. One read per tablet and per product
 * of the page, not per entry.
 */
export async function nameEntries<E extends AuditEvent>(
  deps: Deps,
  entries: readonly E[],
): Promise<(E & { names: Names })[]> {
  const tablets = new Map<string, Promise<string | undefined>>();
  const products = new Map<string, Promise<string | undefined>>();
  const tabletName = (deviceId: string) => {
    let name = tablets.get(deviceId);
    if (!name) {
      name = readDevice(deps, deviceId).then((d) => d?.name || undefined);
      tablets.set(deviceId, name);
    }
    return name;
  };
  const productName = (storeId: string, sku: string) => {
    const key = `${storeId}/${sku}`;
    let name = products.get(key);
    if (!name) {
      name = deps.redis.hget(storeKeys(storeId).catalog, sku).then((raw) => {
        if (!raw) return undefined;
        const parsed = JSON.parse(raw) as { name?: unknown };
        return typeof parsed.name === 'string' && parsed.name !== '' ? parsed.name : undefined;
      });
      products.set(key, name);
    }
    return name;
  };
  return Promise.all(
    entries.map(async (entry) => {
      const actor = (entry.actor ?? {}) as { role?: string; deviceId?: string; person?: string };
      const device = actor.deviceId ?? (actor.role === 'staff' ? deviceOf(entry) : undefined);
      const tablet = device === undefined ? undefined : await tabletName(device);
      const actorName =
        actor.person ??
        tablet ??
        (actor.role === 'staff' ? 'A tablet' : (ROLE_NAMES[actor.role ?? ''] ?? 'Unknown'));
      const [sku, ...more] = skusOf(entry);
      const product =
        sku !== undefined && more.length === 0 && entry.storeId !== undefined
          ? await productName(entry.storeId, sku)
          : undefined;
      const names: Names = { actor: actorName, ...(product === undefined ? {} : { product }) };
      return { ...entry, names };
    }),
  );
}
