import type { ProvisionStatus } from '../../src-shared/booking/booking.schemas';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/translate';
import type { Meeting, SchedulingInfo } from './booking-api';
import { longDate, timeSpan } from './meeting-times';

/** The provision status as a booker understands it. */
const STATUS: Record<ProvisionStatus, MessageKey> = {
  AWAITS_PROVISION: 'booking.status.booked',
  STARTING_TO_PROVISION: 'booking.status.preparing',
  PROVISION_PROBLEMS: 'booking.status.problem',
  PROVISIONED_OK: 'booking.status.ready',
  STARTING_TO_DEPROVISION: 'booking.status.ended',
  DEPROVISION_PROBLEMS: 'booking.status.ended',
  DEPROVISION_OK: 'booking.status.ended',
};

/** When, whose, in what state, and the meeting's description and labels. */
export function MeetingSummary({ meeting, info }: { meeting: Meeting; info: SchedulingInfo }) {
  const { t, language } = useI18n();
  const start = new Date(meeting.startTime);
  const end = new Date(meeting.endTime);
  return (
    <dl className="booking-facts" data-testid="meeting-summary">
      <div>
        <dt>{t('booking.meeting.when')}</dt>
        <dd data-testid="meeting-when">
          {longDate(language, start)} · {timeSpan(language, start, end)}
        </dd>
      </div>
      <div>
        <dt>{t('booking.meeting.organizer')}</dt>
        <dd data-testid="meeting-organizer">{meeting.organizedBy.email ?? '—'}</dd>
      </div>
      <div>
        <dt>{t('booking.meeting.status')}</dt>
        <dd data-testid="meeting-status" data-status={info.provisionStatus}>
          {t(STATUS[info.provisionStatus])}
        </dd>
      </div>
      {meeting.description ? (
        <div>
          <dt>{t('booking.form.description')}</dt>
          <dd className="booking-description">{meeting.description}</dd>
        </div>
      ) : null}
      {meeting.labels.length > 0 ? (
        <div>
          <dt>{t('booking.form.labels')}</dt>
          <dd data-testid="meeting-labels">{meeting.labels.join(', ')}</dd>
        </div>
      ) : null}
    </dl>
  );
}
