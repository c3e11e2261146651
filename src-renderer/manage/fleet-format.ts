import type { UpdateChannel } from '../../src-shared/devices/common.schema';
import type { Device, DeviceStatus, LastPreflight } from '../../src-shared/devices/devices.schema';
import type { CallQuality } from '../../src-shared/devices/heartbeat.schema';
import type { Room } from '../../src-shared/devices/rooms.schema';
import type { Language, MessageKey, MessageParams } from '../i18n/translate';

/**
 * Words and figures of the fleet view, as pure functions of the API's device records: what each
 * table cell says. Status and call state are always spelled out (never colour alone).
 */

export type Translate = (key: MessageKey, params?: MessageParams) => string;

/** The translator plus the locale for numbers and times (`da-DK` uses decimal commas). */
export interface FleetFormat {
  t: Translate;
  locale: string;
  /** IANA zone for times; the browser's own when omitted (tests pin it). */
  timeZone?: string;
}

export function localeOf(language: Language): string {
  return language === 'da' ? 'da-DK' : 'en-GB';
}

/** What the status cell shows: the API status, or `revoked` once the device's access is withdrawn. */
export type RowStatus = DeviceStatus | 'revoked';

export function rowStatus(device: Device): RowStatus {
  return device.revokedAt ? 'revoked' : device.status;
}

/** "Nedsat drift: pakketab, intet kamera" — the status word plus why, when degraded. */
export function statusText(device: Device, fmt: FleetFormat): string {
  const status = rowStatus(device);
  const word = fmt.t(`manage.status.${status}`);
  if (status !== 'degraded' || device.degradedReasons.length === 0) return word;
  return `${word}: ${device.degradedReasons.map((r) => fmt.t(`manage.reason.${r}`)).join(', ')}`;
}

/**
 * In a call right now. The call state of an offline or revoked device is whatever it last said,
 * so it does not count (as in the fleet summary's `byCallState`).
 */
export function isInCall(device: Device): boolean {
  return rowStatus(device) !== 'offline' && rowStatus(device) !== 'revoked' && device.callState.state === 'in_call';
}

/** "I møde · meet.7@vdx.dk · 3 deltagere · siden 10.02", "Ledig", or "Ukendt" when offline/revoked. */
export function callText(device: Device, fmt: FleetFormat): string {
  const status = rowStatus(device);
  if (status === 'offline' || status === 'revoked') return fmt.t('manage.call.unknown');
  const call = device.callState;
  if (call.state !== 'in_call') return fmt.t('manage.call.idle');
  const parts = [fmt.t('manage.call.inCall'), call.alias];
  if (call.participants !== undefined) parts.push(fmt.t('manage.call.participants', { count: call.participants }));
  if (call.since) parts.push(fmt.t('manage.call.since', { time: formatTime(call.since, fmt, 'time') }));
  return parts.join(' · ');
}

/** The live quality figures, one string each, in a fixed order; empty when there are none. */
export function qualityFigures(q: CallQuality | null, fmt: FleetFormat): string[] {
  if (!q) return [];
  const n = (value: number) => formatNumber(value, fmt.locale);
  const figures = [
    fmt.t('manage.quality.loss', { value: n(q.packetLossPercent) }),
    fmt.t('manage.quality.jitter', { value: n(q.jitterMs) }),
    fmt.t('manage.quality.bitrate', { value: n(q.bitrateKbps) }),
  ];
  if (q.resolution) figures.push(fmt.t('manage.quality.resolution', { width: q.resolution.width, height: q.resolution.height }));
  figures.push(fmt.t('manage.quality.frameRate', { value: n(q.frameRate) }));
  if (q.roundTripMs !== undefined) figures.push(fmt.t('manage.quality.roundTrip', { value: n(q.roundTripMs) }));
  return figures;
}

/** The pre-flight cell: a verdict, when it ran, and one line per part ("Kamera: fejl (NotReadableError)"). */
export interface PreflightView {
  /** null: no check reported yet. */
  ok: boolean | null;
  headline: string;
  checkedAt?: string;
  parts: string[];
}

export function preflightView(p: LastPreflight | null, fmt: FleetFormat): PreflightView {
  if (!p) return { ok: null, headline: fmt.t('manage.preflight.none'), parts: [] };
  const part = (label: MessageKey, ok: boolean, detail?: string, latencyMs?: number) => {
    const extra = [detail, latencyMs !== undefined ? `${formatNumber(latencyMs, fmt.locale)} ms` : undefined].filter(Boolean);
    const result = fmt.t(ok ? 'manage.preflight.ok' : 'manage.preflight.fail');
    return `${fmt.t(label)}: ${result}${extra.length ? ` (${extra.join(', ')})` : ''}`;
  };
  return {
    ok: p.ok,
    headline: fmt.t(p.ok ? 'manage.preflight.passed' : 'manage.preflight.failed'),
    checkedAt: fmt.t('manage.preflight.checkedAt', { time: formatTime(p.checkedAt, fmt) }),
    parts: [
      part('manage.preflight.camera', p.camera.ok, p.camera.detail ?? p.camera.deviceLabel),
      part('manage.preflight.microphone', p.microphone.ok, p.microphone.detail ?? p.microphone.deviceLabel),
      part('manage.preflight.node', p.conferenceNode.ok, p.conferenceNode.detail, p.conferenceNode.latencyMs),
    ],
  };
}

/** "for 12 s siden", "for 4 min. siden", "for 3 t. siden", then the date and time; "Aldrig" for null. */
export function formatAgo(iso: string | null, now: Date, fmt: FleetFormat): string {
  if (!iso) return fmt.t('manage.lastSeen.never');
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
  if (seconds < 60) return fmt.t('manage.ago.seconds', { n: seconds });
  if (seconds < 3600) return fmt.t('manage.ago.minutes', { n: Math.floor(seconds / 60) });
  if (seconds < 24 * 3600) return fmt.t('manage.ago.hours', { n: Math.floor(seconds / 3600) });
  return formatTime(iso, fmt);
}

/** A timestamp in the page's locale: date and time, or the time of day (with seconds for "updated at"). */
export function formatTime(iso: string, fmt: FleetFormat, style: 'dateTime' | 'time' | 'timeSeconds' = 'dateTime'): string {
  const options: Record<typeof style, Intl.DateTimeFormatOptions> = {
    dateTime: { dateStyle: 'short', timeStyle: 'short' },
    time: { timeStyle: 'short' },
    timeSeconds: { timeStyle: 'medium' },
  };
  return new Intl.DateTimeFormat(fmt.locale, { ...options[style], timeZone: fmt.timeZone }).format(new Date(iso));
}

/** At most one decimal, in the locale's notation (1,5 in Danish). */
export function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
}

/** A table row: the device with its room's name and update channel (null when the room is gone). */
export interface FleetRow {
  device: Device;
  roomName: string | null;
  roomLocation: string | null;
  channel: UpdateChannel | null;
}

/** Rows sorted by room name, then host name; revoked devices last. */
export function fleetRows(devices: Device[], rooms: Room[], locale: string): FleetRow[] {
  const byId = new Map(rooms.map((r) => [r.id, r]));
  const rows = devices.map((device) => {
    const room = byId.get(device.roomId);
    return { device, roomName: room?.name ?? null, roomLocation: room?.location ?? null, channel: room?.updateChannel ?? null };
  });
  const collator = new Intl.Collator(locale);
  return rows.sort(
    (a, b) =>
      Number(Boolean(a.device.revokedAt)) - Number(Boolean(b.device.revokedAt)) ||
      collator.compare(a.roomName ?? '', b.roomName ?? '') ||
      collator.compare(a.device.hostname, b.device.hostname),
  );
}
