import { useState } from 'react';
import type { AdminAuditEntry, AdminAuditPage } from '../../../shared/api/admin-controls.ts';
import { type AdminApi, describeFailure } from './admin-api.ts';
import { auditCsvHeader, auditCsvRow } from './audit-csv.ts';
import { type AuditFilters, auditQueryOf } from './audit-filters.ts';

const EXPORT_PAGE_SIZE = 500;

export type ExportState = { rows: number } | { done: string } | { failed: string } | undefined;

/**
 * The CSV export of every entry under `filters`, read page by page with the cursor; each row
 * has the instant and the store's time in `zoneOf(entry)`.
 */
export function useAuditExport(
  api: AdminApi,
  filters: AuditFilters,
  zoneOf: (entry: AdminAuditEntry) => string | undefined,
): { exporting: ExportState; exportCsv(): Promise<void> } {
  const [exporting, setExporting] = useState<ExportState>();

  async function exportCsv() {
    const parts = [auditCsvHeader()];
    let rows = 0;
    let after: string | null = null;
    setExporting({ rows });
    try {
      do {
        const q = auditQueryOf(filters);
        q.set('limit', String(EXPORT_PAGE_SIZE));
        if (after) q.set('cursor', after);
        const page: AdminAuditPage = await api.get<AdminAuditPage>(`/api/admin/audit?${q}`);
        for (const e of page.entries) parts.push(`${auditCsvRow(e, zoneOf(e))}\r\n`);
        rows += page.entries.length;
        after = page.nextCursor;
        setExporting({ rows });
      } while (after);
      const url = URL.createObjectURL(new Blob(parts, { type: 'text/csv;charset=utf-8' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `holdfast-audit-${new Date().toISOString().slice(0, 19).replaceAll(':', '')}.csv`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setExporting({ done: `Exported ${rows.toLocaleString()} entries.` });
    } catch (failure) {
      setExporting({
        failed: `The export stopped after ${rows.toLocaleString()} entries: ${describeFailure(failure)}`,
      });
    }
  }

  return { exporting, exportCsv };
}
