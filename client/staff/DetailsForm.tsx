import { type FormEvent, useEffect, useState } from 'react';
import { isTextField, PRODUCT_FIELDS, type ProductField } from '../../shared/store-doc.ts';
import { readFieldEdit } from '../offline/store-doc.ts';
import type { Tablet } from '../offline/tablet.ts';
import { secondsAgo } from './store-time.ts';

const FIELD_LABELS: Record<ProductField, string> = {
  name: 'Name',
  description: 'Description',
  category: 'Category',
  priceLabel: 'Price label',
  shelf: 'Shelf location',
  notes: 'Staff notes',
};

/**
 * A product's editable details (CRDT, offline too). What "Saved" means depends on the
 * connection (issue 15 §7): offline, the edit waits to sync like any action.
 */
export function DetailsForm({
  tablet,
  sku,
  values,
  myDeviceId,
  inSync,
}: {
  tablet: Tablet;
  sku: string;
  values: Record<ProductField, string> | undefined;
  myDeviceId: string | undefined;
  /** The store document is in sync: an edit reaches the server and the other tablets at once. */
  inSync: boolean;
}) {
  const current = values ?? EMPTY_DETAILS;
  const [draft, setDraft] = useState<Record<ProductField, string>>(current);
  // What the form last took from the document: a field staff have not touched follows it.
  const [base, setBase] = useState<Record<ProductField, string>>(current);
  const [saved, setSaved] = useState(false);
  const doc = tablet.document;

  const currentKey = JSON.stringify(current);
  // biome-ignore lint/correctness/useExhaustiveDependencies: currentKey stands for `current`.
  useEffect(() => {
    const untouched = PRODUCT_FIELDS.filter((f) => draft[f] === base[f] && current[f] !== base[f]);
    if (untouched.length === 0) return;
    setDraft((d) => ({ ...d, ...Object.fromEntries(untouched.map((f) => [f, current[f]])) }));
    setBase((b) => ({ ...b, ...Object.fromEntries(untouched.map((f) => [f, current[f]])) }));
  }, [currentKey]);

  function submit(event: FormEvent) {
    event.preventDefault();
    for (const field of PRODUCT_FIELDS) {
      if (draft[field] !== current[field]) tablet.editProduct(sku, field, draft[field]);
    }
    setBase(draft);
    setSaved(true);
  }

  return (
    <form className="card stack" onSubmit={submit} aria-label="Product details">
      <h3>Details</h3>
      {PRODUCT_FIELDS.map((field) => {
        const id = `product-${field}`;
        const onChange = (value: string) => {
          setDraft({ ...draft, [field]: value });
          setSaved(false);
        };
        const conflict = draft[field] !== base[field] && current[field] !== base[field];
        const edit = doc && !isTextField(field) ? readFieldEdit(doc, sku, field) : undefined;
        const elsewhere = edit && edit.deviceId !== myDeviceId ? edit : undefined;
        return (
          <div key={field}>
            <label htmlFor={id}>{FIELD_LABELS[field]}</label>
            {isTextField(field) ? (
              <textarea
                id={id}
                name={field}
                rows={3}
                value={draft[field]}
                onChange={(e) => onChange(e.target.value)}
              />
            ) : (
              <input id={id} name={field} value={draft[field]} onChange={(e) => onChange(e.target.value)} />
            )}
            {conflict && (
              <p className="pending-mark" data-testid={`conflict-${field}`}>
                Changed on another tablet to “{current[field]}” while you were editing. Saving keeps yours.
              </p>
            )}
            {!conflict && elsewhere && (
              <p className="muted" data-testid={`edited-${field}`}>
                Last set on another tablet ({elsewhere.deviceName}) {secondsAgo(elsewhere.at, Date.now())}.
              </p>
            )}
          </div>
        );
      })}
      {saved && (
        <output className="ok" data-testid="details-saved">
          {inSync
            ? 'Saved. The server and the other tablets have it.'
            : 'Saved on this tablet. It waits to sync (see the Sync tab); other tablets get it once this tablet is back in sync.'}
        </output>
      )}
      <button type="submit">Save details</button>
    </form>
  );
}

const EMPTY_DETAILS: Record<ProductField, string> = {
  name: '',
  description: '',
  category: '',
  priceLabel: '',
  shelf: '',
  notes: '',
};
