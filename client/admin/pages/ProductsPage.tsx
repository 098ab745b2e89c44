import { type ChangeEvent, Fragment, useCallback, useEffect, useId, useRef, useState } from 'react';
import type { ProductView } from '../../../shared/api/stock.ts';
import { type AdminApi, describeFailure } from './admin-api.ts';
import { ImportPreview } from './ImportPreview.tsx';
import { ProductLimitsForm } from './ProductLimitsForm.tsx';
import { chunkImport, type ParsedImport, parseProductCsv } from './product-import.ts';
import { SelectField } from './SelectField.tsx';
import { storeName, useStores } from './use-stores.ts';
import './controls.css';

type Progress =
  | { state: 'idle' }
  | { state: 'running'; done: number; total: number }
  | { state: 'done'; done: number; total: number; text: string }
  | { state: 'failed'; done: number; total: number; text: string };

const count = (n: number) => n.toLocaleString();

/** Products and stock: a CSV import checked line by line before anything is written, and the store's list. */
export function ProductsPage({ api }: { api: AdminApi }) {
  const { stores, error: storesError } = useStores(api);
  const [chosenStoreId, setStoreId] = useState('');
  // The first store until one is chosen; derived, not set by an effect, so a choice made as the
  // list arrives is never overwritten.
  const storeId = chosenStoreId || stores?.[0]?.id || '';
  const [file, setFile] = useState<{ name: string; parsed: ParsedImport }>();
  const [reading, setReading] = useState(false);
  const [progress, setProgress] = useState<Progress>({ state: 'idle' });
  const [listVersion, setListVersion] = useState(0);

  async function choose(event: ChangeEvent<HTMLInputElement>) {
    const chosen = event.target.files?.[0];
    setProgress({ state: 'idle' });
    if (!chosen) return;
    setReading(true);
    try {
      setFile({ name: chosen.name, parsed: parseProductCsv(await chosen.text()) });
    } finally {
      setReading(false);
    }
  }

  async function runImport() {
    if (!file) return;
    const { rows } = file.parsed;
    const store = storeName(stores, storeId);
    let done = 0;
    let created = 0;
    let updated = 0;
    let replayedRows = 0;
    setProgress({ state: 'running', done, total: rows.length });
    try {
      for (const chunk of await chunkImport(storeId, rows)) {
        const { body } = await api.send<{ created: number; updated: number; replayed?: boolean }>(
          'POST',
          `/api/admin/stores/${storeId}/products`,
          { products: chunk.rows },
          chunk.idempotencyKey,
        );
        if (body.replayed) replayedRows += chunk.rows.length;
        else {
          created += body.created;
          updated += body.updated;
        }
        done += chunk.rows.length;
        setProgress({ state: 'running', done, total: rows.length });
      }
      setProgress({
        state: 'done',
        done,
        total: rows.length,
        text:
          replayedRows === rows.length
            ? `This file was already imported into ${store}: nothing changed.`
            : `Imported ${count(rows.length - replayedRows)} products into ${store}: ${count(created)} new, ${count(updated)} updated${
                replayedRows > 0
                  ? ` (${count(replayedRows)} rows were imported before and did not change)`
                  : ''
              }.`,
      });
    } catch (failure) {
      setProgress({
        state: 'failed',
        done,
        total: rows.length,
        text: `Stopped after ${count(done)} of ${count(rows.length)} rows: ${describeFailure(failure)} Import again to finish; rows already imported will not change.`,
      });
    } finally {
      setListVersion((v) => v + 1);
    }
  }

  const parsed = file?.parsed;
  const running = progress.state === 'running';
  return (
    <div className="controls stack">
      <h1>Products and stock</h1>
      {storesError && (
        <p className="error" role="alert">
          Could not load the stores: {storesError}
        </p>
      )}
      {stores?.length === 0 && <p>There are no stores yet: add a store before importing products.</p>}
      <section className="card stack" aria-labelledby="import-heading">
        <h2 id="import-heading">Import a CSV file</h2>
        <p className="muted">
          One product per line with a header line: <code>sku,name,category,priceLabel,onHand</code>. On hand
          is what is on the shelf now; an existing product’s count is applied as a stock count, so held and
          leased units stay. Every line is checked before anything is written.
        </p>
        <div className="row">
          <SelectField label="Store" value={storeId} onChange={setStoreId} inline disabled={running}>
            {stores?.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </SelectField>
          <label>
            Products CSV file
            <input type="file" accept=".csv,text/csv" onChange={choose} disabled={running} />
          </label>
        </div>
        {reading && <p className="muted">Reading the file…</p>}
        {parsed && file && (
          <ImportPreview
            api={api}
            fileName={file.name}
            parsed={parsed}
            storeId={storeId}
            storeLabel={storeName(stores, storeId)}
            version={listVersion}
          />
        )}
        {parsed && parsed.rows.length > 0 && parsed.errors.length === 0 && (
          <button type="button" onClick={runImport} disabled={running || !storeId}>
            {running
              ? 'Importing…'
              : `Import ${count(parsed.rows.length)} products into ${storeName(stores, storeId)}`}
          </button>
        )}
        <div aria-live="polite">
          {progress.state !== 'idle' && (
            <label>
              Imported {count(progress.done)} of {count(progress.total)} rows
              <progress value={progress.done} max={progress.total} />
            </label>
          )}
          {progress.state === 'done' && <p className="notice ok">{progress.text}</p>}
        </div>
        {progress.state === 'failed' && (
          <p className="notice error" role="alert">
            {progress.text}
          </p>
        )}
      </section>
      {storeId && (
        <ProductList
          api={api}
          storeId={storeId}
          storeLabel={storeName(stores, storeId)}
          version={listVersion}
        />
      )}
    </div>
  );
}

function ProductList({
  api,
  storeId,
  storeLabel,
  version,
}: {
  api: AdminApi;
  storeId: string;
  storeLabel: string;
  version: number;
}) {
  const [q, setQ] = useState('');
  const [result, setResult] = useState<{ products: ProductView[]; total: number }>();
  const [error, setError] = useState<string>();

  const load = useCallback(async () => {
    try {
      setResult(
        await api.get<{ products: ProductView[]; total: number }>(
          `/api/admin/stores/${storeId}/products?limit=25${q ? `&q=${encodeURIComponent(q)}` : ''}`,
        ),
      );
      setError(undefined);
    } catch (failure) {
      setError(describeFailure(failure));
    }
  }, [api, storeId, q]);
  useEffect(() => {
    void version;
    void load();
  }, [load, version]);

  return (
    <section className="stack" aria-labelledby="products-heading">
      <div className="row spread">
        <h2 id="products-heading">
          Products at {storeLabel}
          {result ? ` (${count(result.total)})` : ''}
        </h2>
        <label className="inline">
          Search
          <input
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder="sku, name or category"
          />
        </label>
      </div>
      {error && (
        <p className="error" role="alert">
          Could not load the products: {error}
        </p>
      )}
      {result?.total === 0 && (
        <p className="muted">{q ? 'No product matches.' : 'No products yet: import a file.'}</p>
      )}
      {result && result.products.length > 0 && (
        <div className="table-scroll">
          <table className="grid responsive">
            <caption className="visually-hidden">Products at {storeLabel}</caption>
            <thead>
              <tr>
                <th scope="col">SKU</th>
                <th scope="col">Name</th>
                <th scope="col">On hand</th>
                <th scope="col">Held</th>
                <th scope="col">Leased</th>
                <th scope="col">Available</th>
                <th scope="col">Limits per customer</th>
              </tr>
            </thead>
            <tbody>
              {result.products.map((p) => (
                <ProductRow key={p.sku} api={api} product={p} />
              ))}
            </tbody>
          </table>
          {result.total > result.products.length && (
            <p className="muted">
              Showing {result.products.length} of {count(result.total)}: search to find others.
            </p>
          )}
        </div>
      )}
    </section>
  );
}

/** A product's stock, and its limits per customer opened beneath it. */
function ProductRow({ api, product: p }: { api: AdminApi; product: ProductView }) {
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const formId = useId();
  return (
    <Fragment>
      <tr>
        <td data-label="SKU">{p.sku}</td>
        <td data-label="Name">{p.name}</td>
        <td className="numeric" data-label="On hand">
          {p.onHand}
        </td>
        <td className="numeric" data-label="Held">
          {p.held}
        </td>
        <td className="numeric" data-label="Leased">
          {p.leased}
        </td>
        <td className="numeric" data-label="Available">
          {p.available}
        </td>
        <td>
          <button
            ref={toggle}
            type="button"
            className="secondary"
            aria-expanded={open}
            aria-controls={open ? formId : undefined}
            aria-label={`Limits of ${p.sku}`}
            onClick={() => setOpen(!open)}
          >
            Limits
          </button>
        </td>
      </tr>
      {open && (
        <tr id={formId}>
          <td colSpan={7}>
            <ProductLimitsForm
              api={api}
              sku={p.sku}
              name={p.name}
              onClose={() => {
                setOpen(false);
                toggle.current?.focus();
              }}
            />
          </td>
        </tr>
      )}
    </Fragment>
  );
}
