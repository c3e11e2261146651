import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/translate';
import { useFleetEvents } from './fleet-events';
import { FleetView } from './FleetView';
import type { ManageAuth } from './manage-api';
import { RoomsView } from './rooms/RoomsView';

type Area = 'rooms' | 'devices';
const AREAS: ReadonlyArray<{ area: Area; label: MessageKey }> = [
  { area: 'rooms', label: 'manage.nav.rooms' },
  { area: 'devices', label: 'manage.nav.devices' },
];

/** The address's hash names the area (`#devices`), so a reload or a shared link opens the same one. */
function areaOfHash(): Area {
  return window.location.hash === '#devices' ? 'devices' : 'rooms';
}

/**
 * What a signed-in IT person works in: one area at a time (rooms, devices), chosen in the
 * navigation, both kept current by the management event stream. Each area moves the focus to its heading once its data is there, so keyboard and
 * screen-reader users land where the content changed.
 */
export function Workspace({ auth, onSessionEnd }: { auth: ManageAuth; onSessionEnd(why: MessageKey): void }) {
  const { t } = useI18n();
  const [area, setArea] = useState<Area>(areaOfHash);
  // One event stream for both areas: it stays open while switching between them.
  const live = useFleetEvents(auth);
  useEffect(() => {
    const follow = () => setArea(areaOfHash());
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
                aria-current={a.area === area ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  window.history.replaceState(window.history.state, '', `#${a.area}`);
                  setArea(a.area);
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
      {area === 'rooms' ? (
        <RoomsView auth={auth} roomsRound={live.roomsRound} onSessionEnd={onSessionEnd} />
      ) : (
        <FleetView auth={auth} live={live} onSessionEnd={onSessionEnd} />
      )}
    </>
  );
}
