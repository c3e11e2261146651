import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, type Ref } from 'react';
import type { MessageKey } from '../i18n/translate';
import type { FleetSort, SortKey } from './fleet-filter';
import type { RowStatus } from './fleet-format';
import {
  callText,
  formatAgo,
  formatTime,
  isInCall,
  preflightView,
  qualityFigures,
  rowStatus,
  statusText,
  type FleetFormat,
  type FleetRow,
} from './fleet-format';

/** Shapes beside the status word, so the status never rests on colour alone. */
const STATUS_MARK: Record<RowStatus, string> = { online: '●', degraded: '▲', offline: '○', revoked: '⊘' };

const COLUMNS: ReadonlyArray<{ label: MessageKey; sort?: SortKey; className: string }> = [
  { label: 'manage.table.room', sort: 'room', className: 'col-room' },
  { label: 'manage.table.organisation', sort: 'organisation', className: 'col-org' },
  { label: 'manage.table.status', sort: 'status', className: 'col-status' },
  { label: 'manage.table.call', className: 'col-call' },
  { label: 'manage.table.quality', className: 'col-quality' },
  { label: 'manage.table.preflight', className: 'col-preflight' },
  { label: 'manage.table.version', sort: 'version', className: 'col-version' },
  { label: 'manage.table.lastSeen', sort: 'lastSeen', className: 'col-seen' },
];

/** A first guess of a row's height (px) before it is measured; most rows are one or two lines. */
const ESTIMATED_ROW_PX = 64;

/**
 * One row per device, virtualised: only the rows in (and near) view are in the DOM, so a fleet of
 * 10 000 renders and filters as fast as one of 50. The table scrolls inside its own region (the
 * header stays); its columns have fixed shares of the width, so nothing is cut off or scrolls
 * sideways at 1024 px and up. Screen readers get the true row count (`aria-rowcount`/`rowindex`).
 * Sortable columns have a button in their header and `aria-sort`.
 *
 * Test hooks (kept stable for the end-to-end tests): `tr[data-testid=device-row][data-device-id]`,
 * cells `device-status` (`data-status` = the API's status word, `data-revoked`), `device-in-call`
 * (`data-in-call`), `device-quality`, `device-preflight` (`data-preflight`).
 */
export function FleetTable({
  rows,
  caption,
  empty,
  now,
  fmt,
  busy,
  sort,
  onSort,
}: {
  rows: FleetRow[];
  caption: string;
  empty: string;
  now: Date;
  fmt: FleetFormat;
  busy: boolean;
  sort: FleetSort;
  onSort(key: SortKey): void;
}) {
  const { t } = fmt;
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    overscan: 10,
    getItemKey: (i) => rows[i]!.device.id,
  });
  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = Math.max(0, virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0));

  return (
    <div className="manage-table-wrap manage-fleet-scroll" ref={scroller} role="region" aria-labelledby="fleet-caption" tabIndex={0} data-testid="fleet-scroll">
      <table className="manage-table manage-fleet-table" aria-busy={busy} aria-rowcount={rows.length + 1}>
        <caption id="fleet-caption">{caption}</caption>
        <colgroup>
          {COLUMNS.map((c) => (
            <col key={c.label} className={c.className} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {COLUMNS.map((c) => {
              const active = c.sort !== undefined && sort.key === c.sort;
              return (
                <th key={c.label} scope="col" aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
                  {c.sort ? (
                    <button type="button" className="manage-sort" data-testid={`sort-${c.sort}`} onClick={() => onSort(c.sort!)}>
                      {t(c.label)}
                      <span aria-hidden="true" className="manage-sort-mark">
                        {active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ' ↕'}
                      </span>
                    </button>
                  ) : (
                    t(c.label)
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={COLUMNS.length} data-testid="manage-empty">
                {empty}
              </td>
            </tr>
          ) : (
            <>
              {padTop > 0 && (
                <tr aria-hidden="true" className="manage-pad" style={{ height: padTop }}>
                  <td colSpan={COLUMNS.length} />
                </tr>
              )}
              {items.map((item) => (
                <DeviceRow key={item.key} ref={virtualizer.measureElement} index={item.index} row={rows[item.index]!} now={now} fmt={fmt} />
              ))}
              {padBottom > 0 && (
                <tr aria-hidden="true" className="manage-pad" style={{ height: padBottom }}>
                  <td colSpan={COLUMNS.length} />
                </tr>
              )}
            </>
          )}
        </tbody>
      </table>
    </div>
  );
}

function DeviceRow({ row, index, now, fmt, ref }: { row: FleetRow; index: number; now: Date; fmt: FleetFormat; ref: Ref<HTMLTableRowElement> }) {
  const { t } = fmt;
  const { device } = row;
  const status = rowStatus(device);
  const revoked = Boolean(device.revokedAt);
  const figures = qualityFigures(device.callQuality, fmt);
  const preflight = preflightView(device.lastPreflight, fmt);
  const detail = [row.roomLocation, device.hostname].filter(Boolean).join(' · ');
  return (
    <tr
      ref={ref}
      data-index={index}
      aria-rowindex={index + 2}
      data-testid="device-row"
      data-device-id={device.id}
      data-revoked={revoked}
      className={`manage-row ${status}`}
    >
      <th scope="row">
        <a
          className="manage-room"
          href={`#devices/${device.id}`}
          data-testid="device-open"
          aria-label={t('manage.device.open', { room: row.roomName ?? t('manage.unknownRoom'), host: device.hostname })}
        >
          {row.roomName ?? t('manage.unknownRoom')}
        </a>
        <span className="vdx-hint manage-sub">{detail}</span>
      </th>
      <td data-testid="device-organisation">{device.organisationCode}</td>
      <td data-testid="device-status" data-status={device.status} data-revoked={revoked}>
        <span className={`manage-status ${status}`}>
          <span aria-hidden="true">{STATUS_MARK[status]} </span>
          {statusText(device, fmt)}
        </span>
        {device.revokedAt && <span className="vdx-hint manage-sub">{formatTime(device.revokedAt, fmt)}</span>}
      </td>
      <td data-testid="device-in-call" data-in-call={isInCall(device)}>
        {callText(device, fmt)}
      </td>
      <td data-testid="device-quality">
        {figures.length > 0 ? (
          <ul className="manage-figures">
            {figures.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
        ) : (
          <span className="vdx-hint">{t('manage.quality.none')}</span>
        )}
      </td>
      <td data-testid="device-preflight" data-preflight={preflight.ok === null ? 'none' : preflight.ok ? 'passed' : 'failed'}>
        <span className={`manage-preflight ${preflight.ok === false ? 'failed' : ''}`}>{preflight.headline}</span>
        {preflight.checkedAt && <span className="vdx-hint"> · {preflight.checkedAt}</span>}
        {preflight.parts.length > 0 && (
          <ul className="manage-figures manage-checks">
            {preflight.parts.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
      </td>
      <td data-testid="device-version">
        {device.appVersion}
        {row.channel && <span className="vdx-hint manage-sub">{t(row.channel === 'beta' ? 'manage.channel.beta' : 'manage.channel.stable')}</span>}
      </td>
      <td>{device.lastSeenAt ? <time dateTime={device.lastSeenAt}>{formatAgo(device.lastSeenAt, now, fmt)}</time> : formatAgo(null, now, fmt)}</td>
    </tr>
  );
}
