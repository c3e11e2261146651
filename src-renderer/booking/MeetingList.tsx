import { useState } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import type { BookingApi, Meeting } from './booking-api';
import { MeetingListItem } from './MeetingListItem';
import { useSchedulingInfos } from './useSchedulingInfos';

/** How many meetings a section shows before "show more" (each one costs a scheduling-info read). */
const PAGE = 25;

/** One section of meetings (today, upcoming, past, search results) with its heading and count. */
export function MeetingList({
  id,
  title,
  empty,
  meetings,
  api,
  me,
  showOrganizer,
  now,
  onOpen,
}: {
  id: string;
  title: string;
  empty: string;
  meetings: Meeting[];
  api: BookingApi;
  me: string;
  showOrganizer: boolean;
  now: Date;
  onOpen(uuid: string): void;
}) {
  const { t } = useI18n();
  const [shown, setShown] = useState(PAGE);
  const visible = meetings.slice(0, shown);
  const infos = useSchedulingInfos(
    api,
    visible.map((m) => m.uuid),
  );
  return (
    <section className="booking-section" aria-labelledby={`${id}-title`} data-testid={`section-${id}`}>
      <h3 id={`${id}-title`}>
        {title} <span className="booking-count">({meetings.length})</span>
      </h3>
      {meetings.length === 0 ? <p className="vdx-hint">{empty}</p> : null}
      {visible.length > 0 ? (
        <ul className="booking-meetings">
          {visible.map((m) => (
            <MeetingListItem key={m.uuid} meeting={m} info={infos.get(m.uuid)} me={me} showOrganizer={showOrganizer} now={now} onOpen={onOpen} />
          ))}
        </ul>
      ) : null}
      {meetings.length > shown ? (
        <button type="button" className="vdx-button" onClick={() => setShown((n) => n + PAGE)}>
          {t('booking.list.more', { count: meetings.length - shown })}
        </button>
      ) : null}
    </section>
  );
}
