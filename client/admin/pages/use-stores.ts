import { useEffect, useState } from 'react';
import type { AdminApi } from './admin-api.ts';
import { describeFailure } from './admin-api.ts';

export interface StoreSummary {
  id: string;
  name: string;
  timeZone: string;
}

/** The stores, for the pickers of every control page. */
export function useStores(api: AdminApi): { stores: StoreSummary[] | undefined; error: string | undefined } {
  const [stores, setStores] = useState<StoreSummary[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    api.get<{ stores: StoreSummary[] }>('/api/stores').then(
      (body) => live && setStores(body.stores),
      (failure: unknown) => live && setError(describeFailure(failure)),
    );
    return () => {
      live = false;
    };
  }, [api]);
  return { stores, error };
}

export function storeName(stores: StoreSummary[] | undefined, id: string): string {
  return stores?.find((s) => s.id === id)?.name ?? id;
}
