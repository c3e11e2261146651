import type { RefObject } from 'react';
import type { FleetSummary } from '../../src-shared/devices/health.schema';
import { formatNumber, type FleetFormat } from './fleet-format';

/** The counts at the top: devices by status, in a meeting, the video-quality KPI and app versions. */
export function FleetSummaryPanel({ summary, fmt, headingRef }: { summary: FleetSummary; fmt: FleetFormat; headingRef?: RefObject<HTMLHeadingElement | null> }) {
  const { t } = fmt;
  const kpi = summary.videoQuality;
  // `text`: a sentence rather than a count, set smaller.
  const stats: { id: string; label: string; value: string; status?: string; text?: boolean }[] = [
    { id: 'total', label: t('manage.summary.total'), value: String(summary.total) },
    { id: 'online', label: t('manage.status.online'), value: String(summary.byStatus.online), status: 'online' },
    { id: 'degraded', label: t('manage.status.degraded'), value: String(summary.byStatus.degraded), status: 'degraded' },
    { id: 'offline', label: t('manage.status.offline'), value: String(summary.byStatus.offline), status: 'offline' },
    { id: 'in-call', label: t('manage.summary.inCall'), value: String(summary.byCallState.in_call) },
    {
      id: 'video-quality',
      label: t('manage.summary.videoQuality'),
      text: true,
      value:
        kpi.percent === null
          ? t('manage.summary.noCalls')
          : t('manage.summary.videoQualityValue', { percent: formatNumber(kpi.percent, fmt.locale), calls: kpi.calls }),
    },
  ];
  const versions = Object.entries(summary.byVersion).sort(([a], [b]) => b.localeCompare(a, 'en', { numeric: true }));
  return (
    <section className="manage-summary" aria-labelledby="summary-title" data-testid="fleet-summary">
      <h2 id="summary-title" ref={headingRef} tabIndex={-1}>
        {t('manage.summary.title')}
      </h2>
      <dl className="manage-stats">
        {stats.map((s) => (
          <div key={s.id} className={`manage-stat ${s.status ?? ''}`} data-testid={`summary-${s.id}`}>
            <dt>{s.label}</dt>
            <dd className={s.text ? 'text' : undefined}>{s.value}</dd>
          </div>
        ))}
        {versions.length > 0 && (
          <div className="manage-stat versions" data-testid="summary-versions">
            <dt>{t('manage.summary.versions')}</dt>
            <dd>{versions.map(([version, count]) => `${version} (${count})`).join(', ')}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}
