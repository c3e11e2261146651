import { copenhagenParts } from '../../../src-shared/booking/vdx-time';
import type { MonthKpis } from '../../../src-shared/operations/kpis.schema';

/** The `count` months up to and including the one `now` falls in, as the KPI route's `from`/`to`. */
export function lastMonths(now: Date, count: number): { from: string; to: string } {
  const to = copenhagenParts(now).date.slice(0, 7);
  const [y, m] = to.split('-').map(Number) as [number, number];
  const first = y * 12 + (m - 1) - (count - 1);
  return { from: `${Math.floor(first / 12)}-${String((first % 12) + 1).padStart(2, '0')}`, to };
}

/**
 * The months as CSV (RFC 4180, comma-separated, the API's field names as header, oldest first,
 * numbers with a decimal point and an empty field where a figure is missing), for spreadsheets.
 */
export function kpiCsv(months: readonly MonthKpis[], columns: ReadonlyArray<keyof MonthKpis>): string {
  const header = ['month', ...columns];
  const rows = months.map((m) => [m.month, ...columns.map((c) => (m[c] === null ? '' : String(m[c])))]);
  return [header, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n';
}
