import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/translate';
import { useFleetEvents } from './fleet-events';
import { DevicePage } from './device/DevicePage';
import { FleetView } from './FleetView';
import { KpiView } from './kpis/KpiView';
import type { ManageAuth } from './manage-api';
import { RoomsView } from './rooms/RoomsView';

type Area = 'rooms' | 'devices' | 'kpis';
const AREAS: ReadonlyArray<{ area: Area; label: MessageKey }> = [
  { area: 'rooms', label: 'manage.nav.rooms' },
  { area: 'devices', label: 'manage.nav.devices' },
  { area: 'kpis', label: 'manage.nav.kpis' },
];

/** Where the address's hash points: an area (`#devices`) or one device (`#devices/{id}`), so a reload or a shared link opens the same. */
interface Place {
  area: Area;
  deviceId?: string;
}

function placeOfHash(): Place {
  const hash = window.location.hash;
  const device = /^#devices\/([\w-]{1,64})$/.exec(hash);
  if (device) return { area: 'devices', deviceId: device[1] };
  return { area: hash === '#devices' ? 'devices' : hash === '#kpis' ? 'kpis' : 'rooms' };
}

/**
 * What a signed-in IT person works in: one area at a time (rooms, devices, KPIs), chosen in the
 * navigation, both kept current by the management event stream. Each area moves the focus to its heading once its data is there, so keyboard and
 * screen-reader users land where the content changed.
 */
export function Workspace({ auth, onSessionEnd }: { auth: ManageAuth; onSessionEnd(why: MessageKey): void }) {
  const { t } = useI18n();
  const [place, setPlace] = useState<Place>(placeOfHash);
  const { area } = place;
  // One event stream for both areas: it stays open while switching between them.
  const live = useFleetEvents(auth);
  // The KPI table's months are those up to the month the page was opened in.
  const [openedAt] = useState(() => new Date());
  useEffect(() => {
    const follow = () => setPlace(placeOfHash());
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);

  return (
    <>
      <nav className="manage-nav" aria-label={t('manage.nav.label')}>
        <ul>
          {AREAS.map((a) => (
            <li key={a.area}>
              <a
                href={`#${a.area}`}
                data-testid={`nav-${a.area}`}
                aria-current={a.area === area && !place.deviceId ? 'page' : a.area === area ? 'true' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  window.history.replaceState(window.history.state, '', `#${a.area}`);
                  setPlace({ area: a.area });
                }}
              >
                {t(a.label)}
              </a>
            </li>
          ))}
        </ul>
        <p className={`manage-live ${live.connected ? 'on' : ''}`} data-testid="manage-live" data-connected={live.connected}>
          <span aria-hidden="true">{live.connected ? '● ' : '○ '}</span>
          {t(live.connected ? 'manage.live.on' : 'manage.live.off')}
        </p>
      </nav>
      {area === 'rooms' && <RoomsView auth={auth} roomsRound={live.roomsRound} onSessionEnd={onSessionEnd} />}
      {area === 'devices' && !place.deviceId && <FleetView auth={auth} live={live} onSessionEnd={onSessionEnd} />}
      {area === 'kpis' && <KpiView auth={auth} now={openedAt} onSessionEnd={onSessionEnd} />}
      {area === 'devices' && place.deviceId && <DevicePage key={place.deviceId} auth={auth} deviceId={place.deviceId} live={live} onSessionEnd={onSessionEnd} />}
    </>
  );
}
