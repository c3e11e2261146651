import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { HealthPoint } from '../../../src-shared/devices/health.schema';
import { formatNumber, type FleetFormat } from '../fleet-format';
import { seriesFigures, type ChartSpec } from './health-series';

const HEIGHT = 170;

/**
 * One health chart (uPlot on a canvas) over the whole period asked for (`span`). The canvas is hidden from assistive technology; the
 * figure's text says the same in words — latest, average and highest value of each line — so the
 * numbers are there for everyone, and for the tests.
 */
export function HealthChart({ spec, points, span, fmt }: { spec: ChartSpec; points: HealthPoint[]; span: { from: string; to: string }; fmt: FleetFormat }) {
  const { t } = fmt;
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || points.length === 0) return;
    const data: uPlot.AlignedData = [points.map((p) => Date.parse(p.at) / 1000), ...spec.series.map((s) => points.map((p) => s.value(p)))];
    const from = Date.parse(span.from) / 1000;
    const to = Date.parse(span.to) / 1000;
    // Times in the page's language: hours within a day, dates and hours across a week.
    const tick = new Intl.DateTimeFormat(fmt.locale, to - from <= 86_400 ? { timeStyle: 'short' } : { day: 'numeric', month: 'short' });
    const axis = { stroke: '#b0bec5', grid: { stroke: 'rgba(255,255,255,0.08)' }, ticks: { stroke: 'rgba(255,255,255,0.15)' } };
    const plot = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height: HEIGHT,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: true, range: (): uPlot.Range.MinMax => [from, to] }, y: { range: spec.unit === '%' ? [0, 100] : (_u, _min, max) => [0, Math.max(10, max * 1.1)] } },
        axes: [{ ...axis, values: (_u: uPlot, ticks: number[]) => ticks.map((v) => tick.format(v * 1000)) }, { ...axis, values: (_u, ticks) => ticks.map((v) => `${formatNumber(v, fmt.locale)} ${spec.unit}`), size: 64 }],
        series: [{}, ...spec.series.map((s) => ({ label: t(s.label), stroke: s.stroke, width: 2, points: { show: points.length < 60 } }))],
      },
      data,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [spec, points, span.from, span.to, fmt, t]);

  return (
    <figure className="manage-chart" data-testid={`chart-${spec.id}`} aria-labelledby={`chart-${spec.id}-title`}>
      <figcaption id={`chart-${spec.id}-title`}>{t(spec.title)}</figcaption>
      {points.length > 0 && <div ref={box} className="manage-chart-canvas" aria-hidden="true" />}
      <ul className="manage-chart-legend">
        {spec.series.map((s) => {
          const figures = seriesFigures(points.map((p) => s.value(p)));
          const n = (v: number) => `${formatNumber(v, fmt.locale)} ${spec.unit}`;
          return (
            <li key={s.label} data-testid={`chart-${spec.id}-figures`}>
              <span className="manage-chart-swatch" style={{ background: s.stroke }} aria-hidden="true" />
              {figures
                ? t('manage.device.figures', { series: t(s.label), latest: n(figures.latest), average: n(figures.average), max: n(figures.max) })
                : t('manage.device.noFigures', { series: t(s.label) })}
            </li>
          );
        })}
      </ul>
    </figure>
  );
}
