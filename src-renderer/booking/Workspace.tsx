import { lazy, Suspense, useMemo, useState } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/translate';
import type { StaffSession, StaffUser } from '../ui/staff-session';
import { createBookingApi, type Meeting } from './booking-api';
import { BookMeeting } from './BookMeeting';
import { EditMeeting } from './EditMeeting';
import { MeetingPage } from './MeetingPage';
import { MeetingsView } from './MeetingsView';

// The call view brings the Pexip SDK (~700 kB): loaded only when someone joins from the page.
const HostCall = lazy(() => import('./HostCall'));

/**
 * What a signed-in person works with, one view at a time:
 *
 * ```
 *  list ──book──▶ book ──booked──▶ meeting ──edit──▶ edit ──saved──▶ meeting
 *   ▲  ──open───────────────────────▲  │ ──join as host──▶ call ──leave──▶ meeting
 *   └───────────── back / cancelled ───┘
 * ```
 */
export type View =
  | { kind: 'list'; notice?: MessageKey }
  | { kind: 'book' }
  | { kind: 'meeting'; uuid: string; notice?: MessageKey }
  | { kind: 'edit'; uuid: string }
  | { kind: 'call'; uuid: string; alias: string; pin: string | undefined };

/** Roles that see and book for the whole organisation (the Booking API's organisation-wide roles). */
const ORG_WIDE_ROLES = ['meeting-planner', 'meeting-admin'];

export function Workspace({ session, user }: { session: StaffSession; user: StaffUser }) {
  const { t } = useI18n();
  const api = useMemo(() => createBookingApi((url, init) => session.fetch(url, init)), [session]);
  const orgWide = user.roles.some((r) => ORG_WIDE_ROLES.includes(r));
  const [view, setView] = useState<View>({ kind: 'list' });
  const open = (uuid: string, notice?: MessageKey) => setView({ kind: 'meeting', uuid, notice });
  const toList = (notice?: MessageKey) => setView({ kind: 'list', notice });

  switch (view.kind) {
    case 'list':
      return <MeetingsView api={api} user={user} orgWide={orgWide} notice={view.notice} onOpen={(uuid) => open(uuid)} onBook={() => setView({ kind: 'book' })} />;
    case 'book':
      return (
        <BookMeeting
          api={api}
          orgWide={orgWide}
          organisation={user.organisationCode}
          onBooked={(m: Meeting, notice) => open(m.uuid, notice)}
          onBack={() => toList()}
        />
      );
    case 'meeting':
      return (
        <MeetingPage
          key={view.uuid}
          api={api}
          user={user}
          uuid={view.uuid}
          notice={view.notice}
          onEdit={() => setView({ kind: 'edit', uuid: view.uuid })}
          onCancelled={() => toList('booking.cancelled')}
          onJoin={(alias, pin) => setView({ kind: 'call', uuid: view.uuid, alias, pin })}
          onBack={() => toList()}
        />
      );
    case 'edit':
      return (
        <EditMeeting api={api} user={user} orgWide={orgWide} uuid={view.uuid} onSaved={() => open(view.uuid, 'booking.saved')} onBack={() => open(view.uuid)} />
      );
    case 'call':
      return (
        <Suspense fallback={<p role="status">{t('booking.call.loading')}</p>}>
          <HostCall alias={view.alias} pin={view.pin} displayName={user.name} onBack={() => open(view.uuid)} />
        </Suspense>
      );
  }
}
