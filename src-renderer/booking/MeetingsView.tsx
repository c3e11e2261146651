import { useMemo, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/translate';
import { CheckboxField } from '../ui/CheckboxField';
import type { StaffUser } from '../ui/staff-session';
import type { BookingApi, Meeting } from './booking-api';
import { LoadStatus } from './LoadStatus';
import { MeetingList } from './MeetingList';
import { groupMeetings, listWindow } from './meeting-times';
import { useLoad } from '../ui/useLoad';
import { ViewHeading } from './ViewHeading';

/**
 * My meetings: today, upcoming and past (the last 30 days), or the results of a search by
 * subject, label (and what else the VDX search covers). A planner sees the organisation's
 * meetings and may narrow them to their own.
 */
export function MeetingsView({
  api,
  user,
  orgWide,
  notice,
  onOpen,
  onBook,
}: {
  api: BookingApi;
  user: StaffUser;
  orgWide: boolean;
  notice?: MessageKey;
  onOpen(uuid: string): void;
  onBook(): void;
}) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [mineOnly, setMineOnly] = useState(false);
  const now = useMemo(() => new Date(), []);
  const { state, reload } = useLoad(() => {
    if (query) return api.searchMeetings(query);
    const { from, to } = listWindow(now);
    return api.meetingsBetween(from, to);
  }, [api, query, now]);

  const meetings = useMemo(() => {
    if (state.kind !== 'ok') return [];
    const mine = (m: Meeting) => (m.organizedBy.email ?? '').toLowerCase() === user.email.toLowerCase();
    return orgWide && mineOnly ? state.value.filter(mine) : state.value;
  }, [state, orgWide, mineOnly, user.email]);

  const search = (e: FormEvent) => {
    e.preventDefault();
    setQuery(text.trim());
  };
  const clear = () => {
    setText('');
    setQuery('');
  };
  const groups = groupMeetings(meetings, now);
  const listProps = { api, me: user.email, showOrganizer: orgWide, now, onOpen };

  return (
    <section aria-labelledby="meetings-title" className="booking-view">
      <ViewHeading id="meetings-title">{t(orgWide ? 'booking.list.titleOrg' : 'booking.list.title')}</ViewHeading>
      {notice ? (
        <p role="status" className="booking-notice" data-testid="booking-notice">
          {t(notice)}
        </p>
      ) : null}
      <div className="booking-toolbar">
        <button type="button" className="vdx-button primary" data-testid="book-meeting" onClick={onBook}>
          {t('booking.list.book')}
        </button>
        <form role="search" className="booking-search" onSubmit={search} aria-label={t('booking.search.label')}>
          <label className="vdx-label" htmlFor="meeting-search">
            {t('booking.search.label')}
          </label>
          <div className="booking-search-row">
            <input id="meeting-search" type="search" className="vdx-input" value={text} maxLength={200} onChange={(e) => setText(e.target.value)} data-testid="meeting-search" />
            <button type="submit" className="vdx-button">
              {t('booking.search.submit')}
            </button>
            {query ? (
              <button type="button" className="vdx-button" onClick={clear}>
                {t('booking.search.clear')}
              </button>
            ) : null}
          </div>
        </form>
      </div>
      {orgWide ? (
        <CheckboxField id="mine-only" label={t('booking.list.mineOnly')} checked={mineOnly} onChange={(e) => setMineOnly(e.target.checked)} />
      ) : null}
      <LoadStatus state={state} onRetry={reload} />
      {state.kind === 'ok' && query ? (
        <MeetingList id="results" title={t('booking.search.results', { query })} empty={t('booking.search.none')} meetings={[...groups.today, ...groups.upcoming, ...groups.past]} {...listProps} />
      ) : null}
      {state.kind === 'ok' && !query ? (
        <>
          <MeetingList id="today" title={t('booking.list.today')} empty={t('booking.list.noneToday')} meetings={groups.today} {...listProps} />
          <MeetingList id="upcoming" title={t('booking.list.upcoming')} empty={t('booking.list.noneUpcoming')} meetings={groups.upcoming} {...listProps} />
          <MeetingList id="past" title={t('booking.list.past')} empty={t('booking.list.nonePast')} meetings={groups.past} {...listProps} />
        </>
      ) : null}
    </section>
  );
}
