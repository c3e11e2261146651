import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/translate';
import type { StaffUser } from '../ui/staff-session';
import type { BookingApi } from './booking-api';
import { CancelMeeting } from './CancelMeeting';
import { InvitationPanel } from './InvitationPanel';
import { MeetingAccess } from './MeetingAccess';
import { MeetingSummary } from './MeetingSummary';
import { ParticipantsPanel } from './ParticipantsPanel';
import { LoadStatus } from './LoadStatus';
import { clockTime, longDate } from './meeting-times';
import { useMeetingWithInfo } from './useMeetingWithInfo';
import { ViewHeading } from './ViewHeading';

/**
 * One meeting: when and whose, how to get in (address, PINs, links), the invitation to send,
 * who takes part, and what may be done with it — join as host, edit or move, cancel.
 */
export function MeetingPage({
  api,
  user,
  uuid,
  notice,
  onEdit,
  onCancelled,
  onJoin,
  onBack,
}: {
  api: BookingApi;
  user: StaffUser;
  uuid: string;
  notice?: MessageKey;
  onEdit(): void;
  onCancelled(): void;
  onJoin(alias: string, pin: string | undefined): void;
  onBack(): void;
}) {
  const { t, language } = useI18n();
  const { state, reload } = useMeetingWithInfo(api, uuid);

  const back = (
    <button type="button" className="vdx-button booking-back" onClick={onBack} data-testid="back-to-list">
      {t('booking.back')}
    </button>
  );
  if (state.kind !== 'ok') {
    return (
      <section aria-labelledby="meeting-title" className="booking-view">
        {back}
        <ViewHeading id="meeting-title">{t('booking.meeting.title')}</ViewHeading>
        <LoadStatus state={state} onRetry={reload} />
      </section>
    );
  }

  const { meeting, info } = state.value;
  const status = info.provisionStatus;
  const changeable = status === 'AWAITS_PROVISION' || status === 'PROVISIONED_OK';
  const over = Date.parse(meeting.endTime) <= Date.now();
  // Before its room opens (start − vmrAvailableBefore) the conference node does not know the meeting.
  const opensAt = info.vmrStartTime ? new Date(info.vmrStartTime) : undefined;
  const notOpenYet = opensAt !== undefined && opensAt.getTime() > Date.now();
  const organizerName = (meeting.organizedBy.email ?? '').toLowerCase() === user.email.toLowerCase() ? user.name : (meeting.organizedBy.email ?? user.name);

  return (
    <section aria-labelledby="meeting-title" className="booking-view" data-testid="meeting-page" data-uuid={meeting.uuid}>
      {back}
      <ViewHeading id="meeting-title">{meeting.subject}</ViewHeading>
      {notice ? (
        <p role="status" className="booking-notice" data-testid="booking-notice">
          {t(notice)}
        </p>
      ) : null}
      <MeetingSummary meeting={meeting} info={info} />
      <MeetingAccess meeting={meeting} info={info} />
      <div className="booking-actions" role="group" aria-label={t('booking.meeting.actions')}>
        {!over && !notOpenYet ? (
          <button
            type="button"
            className="vdx-button primary"
            data-testid="join-as-host"
            onClick={() => onJoin(info.uriWithDomain, info.hostPin === null ? undefined : String(info.hostPin))}
          >
            {t('booking.meeting.joinAsHost')}
          </button>
        ) : null}
        {changeable && !over ? (
          <button type="button" className="vdx-button" data-testid="edit-meeting" onClick={onEdit}>
            {t('booking.meeting.edit')}
          </button>
        ) : null}
      </div>
      {notOpenYet && !over ? (
        <p className="vdx-hint" data-testid="opens-at">
          {t('booking.meeting.opensAt', { when: `${longDate(language, opensAt)} ${clockTime(language, opensAt)}` })}
        </p>
      ) : null}
      {!changeable || over ? <p className="vdx-hint">{t(over ? 'booking.meeting.over' : 'booking.error.notChangeable')}</p> : null}
      <CancelMeeting api={api} meeting={meeting} cancellable={status === 'AWAITS_PROVISION'} onCancelled={onCancelled} />
      <InvitationPanel meeting={meeting} info={info} organizerName={organizerName} />
      <ParticipantsPanel api={api} meetingUuid={meeting.uuid} />
    </section>
  );
}
