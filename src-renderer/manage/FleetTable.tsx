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

/**
 * One row per device. Test hooks (kept stable for the end-to-end tests): `tr[data-testid=device-row]
 * [data-device-id]`, cells `device-status` (`data-status` = the API's status word, `data-revoked`),
 * `device-in-call` (`data-in-call`), `device-quality`, `device-preflight` (`data-preflight`).
 */
export function FleetTable({ rows, now, fmt, busy }: { rows: FleetRow[]; now: Date; fmt: FleetFormat; busy: boolean }) {
  const { t } = fmt;
  return (
    <div className="manage-table-wrap" role="region" aria-labelledby="fleet-caption" tabIndex={0}>
      <table className="manage-table" aria-busy={busy}>
        <caption id="fleet-caption">{t('manage.table.caption', { count: rows.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('manage.table.room')}</th>
            <th scope="col">{t('manage.table.status')}</th>
            <th scope="col">{t('manage.table.call')}</th>
            <th scope="col">{t('manage.table.quality')}</th>
            <th scope="col">{t('manage.table.preflight')}</th>
            <th scope="col">{t('manage.table.version')}</th>
            <th scope="col">{t('manage.table.lastSeen')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={7} data-testid="manage-empty">
                {t('manage.table.empty')}
              </td>
            </tr>
          ) : (
            rows.map((row) => <DeviceRow key={row.device.id} row={row} now={now} fmt={fmt} />)
          )}
        </tbody>
      </table>
    </div>
  );
}

function DeviceRow({ row, now, fmt }: { row: FleetRow; now: Date; fmt: FleetFormat }) {
  const { t } = fmt;
  const { device } = row;
  const status = rowStatus(device);
  const revoked = Boolean(device.revokedAt);
  const figures = qualityFigures(device.callQuality, fmt);
  const preflight = preflightView(device.lastPreflight, fmt);
  const detail = [row.roomLocation, device.hostname].filter(Boolean).join(' · ');
  return (
    <tr data-testid="device-row" data-device-id={device.id} data-revoked={revoked} className={`manage-row ${status}`}>
      <th scope="row">
        <span className="manage-room">{row.roomName ?? t('manage.unknownRoom')}</span>
        <span className="vdx-hint manage-sub">{detail}</span>
      </th>
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
      <td>{device.appVersion}</td>
      <td>{device.lastSeenAt ? <time dateTime={device.lastSeenAt}>{formatAgo(device.lastSeenAt, now, fmt)}</time> : formatAgo(null, now, fmt)}</td>
    </tr>
  );
}
