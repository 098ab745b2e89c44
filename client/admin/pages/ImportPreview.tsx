import { useEffect, useState } from 'react';
import type { KnownProduct } from '../../../shared/api/admin-controls.ts';
import { type AdminApi, describeFailure } from './admin-api.ts';
import { compareWithCatalog, type ParsedImport, type ProductRow, type RowChange } from './product-import.ts';

/** Bad lines listed on the page; the rest are counted. */
const ERRORS_SHOWN = 200;
const PREVIEW_ROWS = 8;
/** Overwritten counts listed on the page; the rest are counted. */
const OVERWRITES_SHOWN = 200;

const count = (n: number) => n.toLocaleString();

type Comparison = { changes: Map<string, RowChange> } | { error: string };

/**
 * Asks the server which of the file's skus the store has (and their counts) whenever the file,
 * the store or the catalog (`version`) changes; undefined while the answer is on its way.
 */
function useComparison(
  api: AdminApi,
  storeId: string,
  rows: ProductRow[],
  version: number,
): Comparison | undefined {
  const [comparison, setComparison] = useState<Comparison>();
  useEffect(() => {
    void version;
    setComparison(undefined);
    if (!storeId || rows.length === 0) return;
    let current = true;
    api
      .send<{ products: KnownProduct[] }>('POST', `/api/admin/stores/${storeId}/products/lookup`, {
        skus: rows.map((r) => r.sku),
      })
      .then(
        ({ body }) => {
          const known = new Map(body.products.map((p) => [p.sku, p]));
          if (current) setComparison({ changes: compareWithCatalog(rows, known) });
        },
        (failure: unknown) => current && setComparison({ error: describeFailure(failure) }),
      );
    return () => {
      current = false;
    };
  }, [api, storeId, rows, version]);
  return comparison;
}

function changeText(change: RowChange | undefined): string {
  if (!change) return '…';
  if (change.kind === 'new') return 'New product';
  if (change.kind === 'same') return `Known; count stays ${count(change.count)}`;
  return `Overwrites the count: ${count(change.before)} → ${count(change.after)}`;
}

/**
 * A chosen file before anything is written: its problems, line by line with the bad value; or,
 * when it is clean, what it would do at the store (new products, shelf counts it overwrites).
 */
export function ImportPreview({
  api,
  fileName,
  parsed,
  storeId,
  storeLabel,
  version,
}: {
  api: AdminApi;
  fileName: string;
  parsed: ParsedImport;
  storeId: string;
  storeLabel: string;
  /** Changes after each import, so the comparison is read again. */
  version: number;
}) {
  const clean = parsed.errors.length === 0;
  const comparison = useComparison(api, clean ? storeId : '', parsed.rows, version);
  const bad = new Set(parsed.errors.map((e) => e.line)).size;
  const changes = comparison && 'changes' in comparison ? comparison.changes : undefined;
  const all = changes ? [...changes.values()] : [];
  const overwrites = parsed.rows.flatMap((row) => {
    const change = changes?.get(row.sku);
    return change?.kind === 'count' ? [{ row, change }] : [];
  });
  const fresh = all.filter((c) => c.kind === 'new').length;
  const same = all.filter((c) => c.kind === 'same').length;
  return (
    <div className="stack">
      <p>
        <strong>{fileName}</strong>: {count(parsed.total)} lines, {count(parsed.rows.length)} ready
        {bad > 0 ? `, ${count(bad)} with problems` : ''}.
      </p>
      {!clean && (
        <div className="stack">
          <p className="error" role="alert">
            Nothing was imported. Fix{' '}
            {parsed.errors.length === 1 ? 'this problem' : `these ${count(parsed.errors.length)} problems`} in
            the file and choose it again.
          </p>
          <div className="table-scroll">
            <table className="grid">
              <caption className="visually-hidden">Problems in the file</caption>
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Column</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {parsed.errors.slice(0, ERRORS_SHOWN).map((e) => (
                  <tr key={`${e.line}-${e.field}`} data-testid="import-error">
                    <td className="numeric">{e.line}</td>
                    <td>{e.field}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {parsed.errors.length > ERRORS_SHOWN && (
            <p className="muted">…and {count(parsed.errors.length - ERRORS_SHOWN)} more.</p>
          )}
        </div>
      )}
      {clean && parsed.rows.length > 0 && (
        <div aria-live="polite">
          {comparison === undefined && <p className="muted">Comparing with the products at {storeLabel}…</p>}
          {comparison && 'error' in comparison && (
            <p className="error" role="alert">
              Could not compare with the products at {storeLabel}: {comparison.error}
            </p>
          )}
          {changes && (
            <p data-testid="import-summary">
              At {storeLabel}: {count(fresh)} new {fresh === 1 ? 'product' : 'products'},{' '}
              {count(overwrites.length)} shelf {overwrites.length === 1 ? 'count' : 'counts'} overwritten,{' '}
              {count(same)} {same === 1 ? 'count' : 'counts'} unchanged.
            </p>
          )}
        </div>
      )}
      {overwrites.length > 0 && (
        <div className="table-scroll">
          <table className="grid">
            <caption>Shelf counts this file overwrites at {storeLabel}</caption>
            <thead>
              <tr>
                <th scope="col">SKU</th>
                <th scope="col">Name</th>
                <th scope="col">On the shelf now</th>
                <th scope="col">After the import</th>
              </tr>
            </thead>
            <tbody>
              {overwrites.slice(0, OVERWRITES_SHOWN).map(({ row, change }) => (
                <tr key={row.sku} data-testid="import-overwrite">
                  <td>{row.sku}</td>
                  <td>{row.name}</td>
                  <td className="numeric">{count(change.before)}</td>
                  <td className="numeric">{count(change.after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {overwrites.length > OVERWRITES_SHOWN && (
            <p className="muted">…and {count(overwrites.length - OVERWRITES_SHOWN)} more.</p>
          )}
        </div>
      )}
      {clean && parsed.rows.length > 0 && (
        <div className="table-scroll">
          <table className="grid">
            <caption>First lines of the file</caption>
            <thead>
              <tr>
                <th scope="col">SKU</th>
                <th scope="col">Name</th>
                <th scope="col">Category</th>
                <th scope="col">Price</th>
                <th scope="col">On hand</th>
                <th scope="col">At {storeLabel}</th>
              </tr>
            </thead>
            <tbody>
              {parsed.rows.slice(0, PREVIEW_ROWS).map((r) => (
                <tr key={r.sku} data-testid="import-row">
                  <td>{r.sku}</td>
                  <td>{r.name}</td>
                  <td>{r.category}</td>
                  <td>{r.priceLabel}</td>
                  <td className="numeric">{r.onHand}</td>
                  <td>{changeText(changes?.get(r.sku))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
