import { useI18n } from '../i18n/I18nProvider';
import type { Meeting } from './booking-api';
import { isOngoing, longDate, timeSpan } from './meeting-times';
import type { InfoState } from './useSchedulingInfos';

/** One meeting in a list: what, when, its address, and (for a planner) whose it is. */
export function MeetingListItem({
  meeting: m,
  info,
  me,
  showOrganizer,
  now,
  onOpen,
}: {
  meeting: Meeting;
  info: InfoState;
  me: string;
  showOrganizer: boolean;
  now: Date;
  onOpen(uuid: string): void;
}) {
  const { t, language } = useI18n();
  const start = new Date(m.startTime);
  const end = new Date(m.endTime);
  const organizer = m.organizedBy.email ?? '';
  const someoneElse = organizer.toLowerCase() !== me.toLowerCase();
  return (
    <li className="booking-meeting" data-testid="meeting-item" data-uuid={m.uuid}>
      <h4 className="booking-meeting-subject">
        <button type="button" className="booking-link" onClick={() => onOpen(m.uuid)} data-testid="open-meeting">
          {m.subject}
        </button>
        {isOngoing(m, now) ? <span className="booking-badge">{t('booking.list.ongoing')}</span> : null}
      </h4>
      <p className="booking-meeting-when">
        {longDate(language, start)} · {timeSpan(language, start, end)}
      </p>
      <p className="booking-meeting-address" data-testid="meeting-address">
        {info === undefined ? <span className="vdx-hint">{t('common.loading')}</span> : info === 'failed' ? <span className="vdx-hint">{t('booking.list.addressFailed')}</span> : info.uriWithDomain}
      </p>
      {showOrganizer && someoneElse ? <p className="vdx-hint">{t('booking.list.organizer', { email: organizer })}</p> : null}
      {m.labels.length > 0 ? (
        <ul className="booking-labels" aria-label={t('booking.form.labels')}>
          {m.labels.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}
