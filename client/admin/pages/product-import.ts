import Papa from 'papaparse';
import type { z } from 'zod';
import { productImportSchema } from '../../../shared/api/stock.ts';

/** One product row as the import endpoint takes it (validated with the shared schema). */
const rowSchema = productImportSchema.shape.products.element;
export type ProductRow = z.output<typeof rowSchema>;

/** Rows per request: the server applies one request as one atomic, idempotent batch. */
export const IMPORT_CHUNK_ROWS = 500;

export interface RowError {
  /** The line of the file (the header is line 1). */
  line: number;
  field: string;
  message: string;
}

export interface ParsedImport {
  rows: ProductRow[];
  errors: RowError[];
  /** Data lines in the file (good and bad). */
  total: number;
}

/** Header spellings operators use, to the field each means. */
const HEADER_ALIASES: Record<string, keyof ProductRow> = {
  sku: 'sku',
  name: 'name',
  product: 'name',
  category: 'category',
  pricelabel: 'priceLabel',
  price: 'priceLabel',
  onhand: 'onHand',
  quantity: 'onHand',
  qty: 'onHand',
  stock: 'onHand',
};

const normalizeHeader = (header: string) => HEADER_ALIASES[header.toLowerCase().replace(/[\s_-]/g, '')];

/** What was typed, quoted and cut short: "'ten'", "'a very long na…'". */
function echo(value: string): string {
  const shown = value.length > 40 ? `${value.slice(0, 39)}…` : value;
  return `'${shown}'`;
}

/** A bad value in words, with the value itself: "'ten' is not a whole number". */
function describeProblem(field: string, value: unknown, schemaMessage: string): string {
  if (typeof value === 'string' && value.trim() === '') return 'is empty';
  if (field === 'onHand') {
    if (typeof value === 'string') return `${echo(value)} is not a whole number`;
    if (typeof value === 'number' && value < 0) return `${value} is below zero`;
    if (typeof value === 'number') return `${value.toLocaleString()} is more than 1,000,000`;
  }
  return typeof value === 'string' ? `${echo(value)}: ${schemaMessage}` : schemaMessage;
}

/**
 * Parses a products CSV (header row: sku, name, category, priceLabel, onHand) and checks
 * every row against the import schema, so every problem is shown before anything is written.
 */
export function parseProductCsv(text: string): ParsedImport {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => normalizeHeader(h) ?? h.trim(),
  });
  const errors: RowError[] = [];
  const fields = parsed.meta.fields ?? [];
  for (const required of ['sku', 'name'] as const) {
    if (!fields.includes(required)) {
      errors.push({ line: 1, field: required, message: `the header has no “${required}” column` });
    }
  }
  if (errors.length > 0) return { rows: [], errors, total: parsed.data.length };
  const rows: ProductRow[] = [];
  const firstLineOfSku = new Map<string, number>();
  parsed.data.forEach((record, index) => {
    const line = index + 2;
    const onHand = record.onHand?.trim();
    const candidate: Record<string, unknown> = {
      sku: record.sku?.trim() ?? '',
      name: record.name ?? '',
    };
    if (record.category !== undefined) candidate.category = record.category;
    if (record.priceLabel !== undefined) candidate.priceLabel = record.priceLabel;
    if (onHand) candidate.onHand = /^-?\d+$/.test(onHand) ? Number(onHand) : onHand;
    const result = rowSchema.safeParse(candidate);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = issue.path.join('.') || 'row';
        errors.push({ line, field, message: describeProblem(field, candidate[field], issue.message) });
      }
      return;
    }
    const seen = firstLineOfSku.get(result.data.sku);
    if (seen !== undefined) {
      errors.push({ line, field: 'sku', message: `${result.data.sku} is already on line ${seen}` });
      return;
    }
    firstLineOfSku.set(result.data.sku, line);
    rows.push(result.data);
  });
  for (const e of parsed.errors) {
    if (e.row !== undefined) errors.push({ line: e.row + 2, field: 'row', message: e.message });
  }
  errors.sort((a, b) => a.line - b.line);
  return { rows, errors, total: parsed.data.length };
}

export interface ImportChunk {
  rows: ProductRow[];
  /** Derived from the chunk's content and store: the same file sent twice replays, changing nothing. */
  idempotencyKey: string;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Splits the rows into requests, each keyed by a hash of what it carries. */
export async function chunkImport(storeId: string, rows: ProductRow[]): Promise<ImportChunk[]> {
  const chunks: ImportChunk[] = [];
  for (let start = 0; start < rows.length; start += IMPORT_CHUNK_ROWS) {
    const slice = rows.slice(start, start + IMPORT_CHUNK_ROWS);
    const hash = await sha256Hex(JSON.stringify([storeId, slice]));
    chunks.push({ rows: slice, idempotencyKey: `import-${hash.slice(0, 48)}` });
  }
  return chunks;
}

/** What importing a row would do at the chosen store. */
export type RowChange =
  | { kind: 'new' }
  | { kind: 'count'; before: number; after: number }
  | { kind: 'same'; count: number };

/** Compares the file's rows with the store's products of the same skus (`known`, from the server). */
export function compareWithCatalog(
  rows: ProductRow[],
  known: Map<string, { onHand: number }>,
): Map<string, RowChange> {
  const changes = new Map<string, RowChange>();
  for (const row of rows) {
    const current = known.get(row.sku);
    changes.set(
      row.sku,
      !current
        ? { kind: 'new' }
        : current.onHand === row.onHand
          ? { kind: 'same', count: row.onHand }
          : { kind: 'count', before: current.onHand, after: row.onHand },
    );
  }
  return changes;
}
