import { useState } from 'react';
import type {
  ImportResult,
  SettledLeases,
  SettlementDecision,
  TabletView,
} from '../../../shared/api/admin-controls.ts';
import { browserTimeZone, zonedDateTime } from '../../ui/format.ts';
import { type AdminApi, newActionKey } from './admin-api.ts';

const units = (n: number) => `${n} ${n === 1 ? 'unit' : 'units'}`;

/** The question each settlement asks first, and its confirm button. */
const SETTLEMENTS: Record<SettlementDecision, { ask: (n: number) => string; yes: (n: number) => string }> = {
  write_off: {
    ask: (n) =>
      `Write off ${units(n)}? On hand goes down by ${n}. A sale the tablet reports later is not counted again.`,
    yes: (n) => `Yes, write off ${units(n)}`,
  },
  return: {
    ask: (n) =>
      `Return ${units(n)} to the shelf? Only if they are there (you have the tablet, or counted them): customers can reserve them at once, and a sale the tablet reports later is refused.`,
    yes: (n) => `Yes, return ${units(n)} to the shelf`,
  },
};

function importSummary(name: string, result: ImportResult): string {
  const parts = [
    `From “${name}”’s file: ${result.applied} offline ${result.applied === 1 ? 'sale' : 'sales'} taken`,
  ];
  if (result.alreadyApplied > 0) parts.push(`${result.alreadyApplied} already counted`);
  if (result.refused > 0) {
    const reasons = result.results
      .filter((r) => r.outcome === 'refused')
      .map((r) => `${r.label}: ${r.message}`);
    parts.push(`${result.refused} refused (${reasons.join('; ')})`);
  }
  if (result.notTaken > 0)
    parts.push(
      `${result.notTaken} other ${result.notTaken === 1 ? 'action' : 'actions'} not taken from a removed tablet`,
    );
  return `${parts.join(', ')}.`;
}

/**
 * Issue 15 §1: a revoked tablet's units not yet reported. They stay out of available until the
 * tablet reports what it sold before its removal (itself, or through its saved file imported
 * here) or the admin settles them: written off with the tablet, or returned to the shelf.
 */
export function RevokedTabletUnits({
  api,
  tablet,
  timeZone,
  act,
  busy,
}: {
  api: AdminApi;
  tablet: TabletView;
  timeZone: string | undefined;
  act: (work: () => Promise<string>) => Promise<void>;
  busy: boolean;
}) {
  const [asking, setAsking] = useState<SettlementDecision>();
  const unreported = tablet.leases.reduce((sum, l) => sum + l.quantity, 0);

  const settle = (decision: SettlementDecision) =>
    act(async () => {
      const { body } = await api.send<SettledLeases>(
        'POST',
        `/api/admin/tablets/${tablet.deviceId}/settle`,
        { decision },
        newActionKey('lease-settle'),
      );
      setAsking(undefined);
      if (body.units === 0) return `Nothing was left to settle for “${tablet.name}”.`;
      const detail = body.products
        .map((p) => `${p.sku}: ${p.stock.onHand} on hand, ${p.stock.available} available`)
        .join('; ');
      return decision === 'write_off'
        ? `Wrote off ${units(body.units)} with “${tablet.name}” (${detail}).`
        : `Returned ${units(body.units)} of “${tablet.name}” to the shelf (${detail}).`;
    });
  const importFile = (file: File) =>
    act(async () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(await file.text());
      } catch {
        throw new Error(`“${file.name}” is not a file saved by a tablet (it is not JSON).`);
      }
      const { body } = await api.send<ImportResult>(
        'POST',
        `/api/admin/tablets/${tablet.deviceId}/import`,
        parsed,
      );
      return importSummary(tablet.name, body);
    });

  if (unreported === 0)
    return <p className="muted">Nothing unreported: every unit it kept is accounted for.</p>;
  return (
    <div className="stack unreported">
      <p>
        <strong>With a revoked tablet: {unreported}, unreported.</strong> Not available to customers until the
        tablet reports what it sold before its removal, or you decide.
      </p>
      <div className="table-scroll">
        <table className="grid">
          <caption className="visually-hidden">Units {tablet.name} kept, not reported</caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">Units</th>
              <th scope="col">Lease until</th>
            </tr>
          </thead>
          <tbody>
            {tablet.leases.map((l) => (
              <tr key={l.sku}>
                <td>{l.sku}</td>
                <td>{l.quantity}</td>
                <td>{zonedDateTime(l.expiresAt, timeZone ?? browserTimeZone())}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="row">
        <button type="button" className="danger" onClick={() => setAsking('write_off')} disabled={busy}>
          The tablet is lost: write the {units(unreported)} off
        </button>
        <button type="button" className="secondary" onClick={() => setAsking('return')} disabled={busy}>
          Return {unreported === 1 ? 'it' : 'them'} to the shelf
        </button>
        <label className="file-button">
          Import the tablet’s saved file
          <input
            type="file"
            accept="application/json,.json"
            disabled={busy}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void importFile(file);
            }}
          />
        </label>
      </div>
      {asking && (
        <div className="confirm row">
          <p>{SETTLEMENTS[asking].ask(unreported)}</p>
          <button
            type="button"
            className={asking === 'write_off' ? 'danger' : undefined}
            onClick={() => void settle(asking)}
            disabled={busy}
          >
            {SETTLEMENTS[asking].yes(unreported)}
          </button>
          <button type="button" className="secondary" onClick={() => setAsking(undefined)}>
            Not now
          </button>
        </div>
      )}
    </div>
  );
}
