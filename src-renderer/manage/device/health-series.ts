import type { HealthPoint } from '../../../src-shared/devices/health.schema';
import type { MessageKey } from '../../i18n/translate';

/** One line of a health chart: which figure of a heartbeat it plots. */
export interface SeriesSpec {
  label: MessageKey;
  value(p: HealthPoint): number | null;
  stroke: string;
}

/** One chart: a title, its unit and its lines. */
export interface ChartSpec {
  id: string;
  title: MessageKey;
  unit: '%' | 'ms';
  series: SeriesSpec[];
}

/** The device page's charts, in the order shown. Call figures exist only while the room was in a call. */
export const HEALTH_CHARTS: readonly ChartSpec[] = [
  {
    id: 'load',
    title: 'manage.device.chart.load',
    unit: '%',
    series: [
      { label: 'manage.device.series.cpu', value: (p) => p.cpuPercent, stroke: '#64b5f6' },
      { label: 'manage.device.series.memory', value: (p) => p.memoryPercent, stroke: '#ffb74d' },
    ],
  },
  { id: 'latency', title: 'manage.device.chart.latency', unit: 'ms', series: [{ label: 'manage.device.series.latency', value: (p) => p.latencyMs, stroke: '#81c784' }] },
  { id: 'loss', title: 'manage.device.chart.loss', unit: '%', series: [{ label: 'manage.device.series.loss', value: (p) => p.packetLossPercent, stroke: '#e57373' }] },
  { id: 'jitter', title: 'manage.device.chart.jitter', unit: 'ms', series: [{ label: 'manage.device.series.jitter', value: (p) => p.jitterMs, stroke: '#ba68c8' }] },
];

/** Latest, average and highest of a series, ignoring gaps; null when it has no value at all. */
export function seriesFigures(values: ReadonlyArray<number | null>): { latest: number; average: number; max: number } | null {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return null;
  const sum = present.reduce((a, b) => a + b, 0);
  return { latest: present[present.length - 1]!, average: sum / present.length, max: Math.max(...present) };
}
