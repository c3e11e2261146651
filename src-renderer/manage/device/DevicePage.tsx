import { useMemo, useRef, useState } from 'react';
import type { z } from 'zod';
import type { DeviceHealth as DeviceHealthSchema } from '../../../src-shared/devices/health.schema';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/translate';
import { useLoad } from '../../ui/useLoad';
import { useAreaLoad } from '../useAreaLoad';
import { useNow } from '../../ui/useNow';
import type { FleetLive } from '../fleet-events';
import { callText, formatAgo, localeOf, statusText, type FleetFormat } from '../fleet-format';
import { listCommands, loadDevice, loadHealth, loadRoom, ManageApiError, type ManageAuth } from '../manage-api';
import { AreaLoadNotice } from '../AreaLoadNotice';
import { fleetErrorMessage } from '../manage-messages';
import { CommandsPanel } from './CommandsPanel';
import { HealthChart } from './HealthChart';
import { HEALTH_CHARTS } from './health-series';

type DeviceHealth = z.infer<typeof DeviceHealthSchema>;

const RANGES = [
  { id: '24h', hours: 24, label: 'manage.device.range.day' },
  { id: '7d', hours: 24 * 7, label: 'manage.device.range.week' },
] as const satisfies ReadonlyArray<{ id: string; hours: number; label: MessageKey }>;

/**
 * One device (`#devices/{id}`): what it is and how it is now, its health history as charts (24 h
 * or 7 days), and commands with their results. Everything re-reads when the event stream says
 * the device changed (a heartbeat, a command's result), so the page moves while IT watches it.
 */
export function DevicePage({ auth, deviceId, live, onSessionEnd }: { auth: ManageAuth; deviceId: string; live: FleetLive; onSessionEnd(why: MessageKey): void }) {
  const { t, language } = useI18n();
  const fmt: FleetFormat = useMemo(() => ({ t, locale: localeOf(language) }), [t, language]);
  const now = useNow(5000);
  const [range, setRange] = useState<(typeof RANGES)[number]['id']>('24h');
  const [sent, setSent] = useState(0);
  const hours = RANGES.find((r) => r.id === range)!.hours;
  const device = useLoad(async () => {
    const d = await loadDevice(auth, deviceId);
    return { device: d, room: await loadRoom(auth, d.roomId).catch(() => null) };
  }, [auth, deviceId, live.devicesRound]);
  const health = useLoad(() => {
    const to = new Date(Date.now() + 60_000);
    return loadHealth(auth, deviceId, { from: new Date(to.getTime() - hours * 3600_000).toISOString(), to: to.toISOString() });
  }, [auth, deviceId, hours, live.devicesRound]);
  const commands = useLoad(() => listCommands(auth, deviceId), [auth, deviceId, live.devicesRound, sent]);
  const heading = useRef<HTMLHeadingElement>(null);
  useAreaLoad(device.state, heading, onSessionEnd);

  return (
    <section className="manage-device" aria-labelledby="device-title" data-testid="device-page">
      <p>
        <a href="#devices" data-testid="device-back">
          {t('manage.device.back')}
        </a>
      </p>
      <AreaLoadNotice
        state={device.state}
        t={t}
        failure={(error) => (error instanceof ManageApiError && error.code === 'device_not_found' ? t('manage.device.gone') : undefined)}
      />
      {device.state.kind === 'ok' && (
        <>
          <h2 id="device-title" ref={heading} tabIndex={-1}>
            {t('manage.device.title', { room: device.state.value.room?.name ?? t('manage.unknownRoom'), host: device.state.value.device.hostname })}
          </h2>
          <dl className="manage-stats manage-device-facts">
            {[
              { id: 'status', label: t('manage.table.status'), value: statusText(device.state.value.device, fmt) },
              { id: 'call', label: t('manage.table.call'), value: callText(device.state.value.device, fmt) },
              { id: 'version', label: t('manage.table.version'), value: device.state.value.device.appVersion },
              { id: 'seen', label: t('manage.table.lastSeen'), value: formatAgo(device.state.value.device.lastSeenAt, now, fmt) },
            ].map((f) => (
              <div key={f.id} className="manage-stat" data-testid={`device-fact-${f.id}`}>
                <dt>{f.label}</dt>
                <dd className="text">{f.value}</dd>
              </div>
            ))}
          </dl>
          <section className="vdx-card manage-panel" aria-labelledby="health-title">
            <div className="manage-panel-head">
              <h3 id="health-title">{t('manage.device.health')}</h3>
              <div role="group" aria-label={t('manage.device.range')} className="vdx-lang">
                {RANGES.map((r) => (
                  <button key={r.id} type="button" className={`vdx-button ${r.id === range ? 'active' : ''}`} aria-pressed={r.id === range} data-testid={`range-${r.id}`} onClick={() => setRange(r.id)}>
                    {t(r.label)}
                  </button>
                ))}
              </div>
            </div>
            {health.state.kind === 'failed' && (
              <p className="vdx-error" role="alert">
                {fleetErrorMessage(health.state.error, t)}
              </p>
            )}
            {health.state.kind === 'ok' && <HealthCharts health={health.state.value} fmt={fmt} />}
          </section>
          <CommandsPanel
            auth={auth}
            deviceId={deviceId}
            commands={commands.state.kind === 'ok' ? commands.state.value : null}
            revoked={Boolean(device.state.value.device.revokedAt)}
            fmt={fmt}
            onSent={() => setSent((n) => n + 1)}
          />
        </>
      )}
    </section>
  );
}

function HealthCharts({ health, fmt }: { health: DeviceHealth; fmt: FleetFormat }) {
  if (health.points.length === 0) {
    return (
      <p className="vdx-hint" data-testid="health-empty">
        {fmt.t('manage.device.noHealth')}
      </p>
    );
  }
  return (
    <div className="manage-charts">
      {HEALTH_CHARTS.map((spec) => (
        <HealthChart key={spec.id} spec={spec} points={health.points} span={health} fmt={fmt} />
      ))}
    </div>
  );
}
