import { useState } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/translate';
import type { AddParticipantRequest } from '../../src-shared/appointments/appointments.contract';
import type { BookingApi, Participant } from './booking-api';
import { failureMessage } from './booking-errors';
import { AddPersonForm } from './AddPersonForm';
import { AddRoomForm } from './AddRoomForm';
import { useLoad } from '../ui/useLoad';

/**
 * Who takes part, through the appointments API: the organisation's rooms (as host or guest — the
 * room's kiosk then has the meeting on its agenda and joins it by itself) and people (name with
 * e-mail and/or mobile, kept with the meeting for the invitations).
 */
export function ParticipantsPanel({ api, meetingUuid }: { api: BookingApi; meetingUuid: string }) {
  const { t } = useI18n();
  const { state, reload } = useLoad(async () => {
    const [participants, rooms] = await Promise.all([api.participants(meetingUuid), api.rooms()]);
    return { participants, rooms };
  }, [api, meetingUuid]);
  const [failure, setFailure] = useState<MessageKey>();
  const [announce, setAnnounce] = useState('');

  const add = async (body: AddParticipantRequest): Promise<boolean> => {
    setFailure(undefined);
    try {
      await api.addParticipant(meetingUuid, body);
      setAnnounce(t('booking.people.added', { name: body.kind === 'person' ? body.name : roomName(body.roomId) }));
      reload();
      return true;
    } catch (error) {
      setFailure(failureMessage(error, 'participant'));
      return false;
    }
  };
  const remove = async (p: Participant) => {
    setFailure(undefined);
    try {
      await api.removeParticipant(meetingUuid, p.id);
      setAnnounce(t('booking.people.removed', { name: nameOf(p) }));
      reload();
    } catch (error) {
      setFailure(failureMessage(error, 'participant'));
    }
  };

  const rooms = state.kind === 'ok' ? state.value.rooms : [];
  const roomName = (id: string) => rooms.find((r) => r.id === id)?.name ?? t('booking.rooms.unknown');
  const nameOf = (p: Participant) => (p.kind === 'room' ? roomName(p.roomId ?? '') : (p.name ?? ''));
  const participants = state.kind === 'ok' ? state.value.participants : [];

  return (
    <section className="booking-panel" aria-labelledby="participants-title" data-testid="participants">
      <h3 id="participants-title">{t('booking.people.title')}</h3>
      {state.kind === 'loading' ? <p role="status">{t('common.loading')}</p> : null}
      {state.kind === 'failed' ? (
        <p className="vdx-error" role="alert">
          {t(failureMessage(state.error, 'load'))}
        </p>
      ) : null}
      {state.kind === 'ok' && participants.length === 0 ? <p className="vdx-hint">{t('booking.people.none')}</p> : null}
      {participants.length > 0 ? (
        <ul className="booking-participants">
          {participants.map((p) => (
            <li key={p.id} data-testid="participant" data-kind={p.kind}>
              <span>
                <strong>{nameOf(p)}</strong>{' '}
                <span className="vdx-hint">
                  {p.kind === 'room' ? t(p.role === 'host' ? 'booking.rooms.asHost' : 'booking.rooms.asGuest') : [p.email, p.phone].filter(Boolean).join(' · ')}
                </span>
              </span>
              <button type="button" className="vdx-button" aria-label={t('booking.people.removeNamed', { name: nameOf(p) })} onClick={() => void remove(p)}>
                {t('booking.people.remove')}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <p role="status" className="vdx-sr-only">
        {announce}
      </p>
      {failure ? (
        <p className="vdx-error" role="alert" data-testid="participant-failure">
          {t(failure)}
        </p>
      ) : null}
      <div className="booking-participant-forms">
        <AddRoomForm rooms={rooms.filter((r) => !participants.some((p) => p.roomId === r.id))} onAdd={add} />
        <AddPersonForm onAdd={add} />
      </div>
    </section>
  );
}
