import { useMemo, useRef } from 'react';
import type { MonthKpis } from '../../../src-shared/operations/kpis.schema';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/translate';
import { useLoad } from '../../ui/useLoad';
import { formatNumber, localeOf } from '../fleet-format';
import { loadKpis, type ManageAuth } from '../manage-api';
import { AreaLoadNotice } from '../AreaLoadNotice';
import { useAreaLoad } from '../useAreaLoad';
import { kpiCsv, lastMonths } from './kpi-table';

/** The columns of the table and the CSV, in MedCom's order. */
const COLUMNS: ReadonlyArray<{ key: keyof MonthKpis; label: MessageKey; percent?: boolean }> = [
  { key: 'meetings', label: 'manage.kpi.meetings' },
  { key: 'meetingsBooked', label: 'manage.kpi.meetingsBooked' },
  { key: 'calls', label: 'manage.kpi.calls' },
  { key: 'sms', label: 'manage.kpi.sms' },
  { key: 'smsDelivered', label: 'manage.kpi.smsDelivered' },
  { key: 'videoQualityPercent', label: 'manage.kpi.videoQuality', percent: true },
  { key: 'peakConcurrentParticipants', label: 'manage.kpi.peak' },
  { key: 'uptimeInfrastructurePercent', label: 'manage.kpi.uptimeInfrastructure', percent: true },
  { key: 'uptimeApiPercent', label: 'manage.kpi.uptimeApi', percent: true },
];

/**
 * The monthly service table (decision 0020) for the last 12 months, newest first, within the
 * admin's organisation subtree, with a CSV download of the same figures.
 */
export function KpiView({ auth, now, onSessionEnd }: { auth: ManageAuth; now: Date; onSessionEnd(why: MessageKey): void }) {
  const { t, language } = useI18n();
  const locale = localeOf(language);
  const range = useMemo(() => lastMonths(now, 12), [now]);
  const data = useLoad(() => loadKpis(auth, range), [auth, range]);
  const heading = useRef<HTMLHeadingElement>(null);
  useAreaLoad(data.state, heading, onSessionEnd);
  const months = data.state.kind === 'ok' ? [...data.state.value.months].reverse() : [];

  const monthName = (month: string) =>
    new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T12:00:00Z`));
  const cell = (m: MonthKpis, c: (typeof COLUMNS)[number]) => {
    const v = m[c.key];
    if (v === null) return '–';
    return c.percent ? `${formatNumber(v as number, locale)} %` : formatNumber(v as number, locale);
  };
  const csvHref = useMemo(
    () => (months.length ? `data:text/csv;charset=utf-8,${encodeURIComponent(kpiCsv([...months].reverse(), COLUMNS.map((c) => c.key)))}` : undefined),
    [months],
  );

  return (
    <section className="manage-kpis" aria-labelledby="kpis-title">
      <div className="manage-rooms-head">
        <h2 id="kpis-title" ref={heading} tabIndex={-1}>
          {t('manage.kpi.title')}
        </h2>
        {csvHref && (
          <a className="vdx-button" href={csvHref} download={`vdx-kpi-${range.from}-${range.to}.csv`} data-testid="kpi-csv">
            {t('manage.kpi.csv')}
          </a>
        )}
      </div>
      <p className="vdx-hint">{t('manage.kpi.hint')}</p>
      <AreaLoadNotice state={data.state} t={t} />
      {data.state.kind === 'ok' && (
        <div className="manage-table-wrap">
          <table className="manage-table" data-testid="kpi-table">
            <caption>{t('manage.kpi.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('manage.kpi.month')}</th>
                {COLUMNS.map((c) => (
                  <th key={c.key} scope="col">
                    {t(c.label)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {months.map((m) => (
                <tr key={m.month} data-testid="kpi-row" data-month={m.month}>
                  <th scope="row">{monthName(m.month)}</th>
                  {COLUMNS.map((c) => (
                    <td key={c.key} data-testid={`kpi-${c.key}`}>
                      {cell(m, c)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
