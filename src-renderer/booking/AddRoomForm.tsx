import { useState, type FormEvent } from 'react';
import type { AddParticipantRequest, BookableRoom, ParticipantRole } from '../../src-shared/appointments/appointments.contract';
import { useI18n } from '../i18n/I18nProvider';
import { SelectField } from '../ui/SelectField';

/** Invite one of the organisation's rooms, as host (joins with the host PIN) or guest. */
export function AddRoomForm({ rooms, onAdd }: { rooms: BookableRoom[]; onAdd(body: AddParticipantRequest): Promise<boolean> }) {
  const { t } = useI18n();
  const [roomId, setRoomId] = useState('');
  const [role, setRole] = useState<ParticipantRole>('guest');
  const [busy, setBusy] = useState(false);
  const chosen = rooms.some((r) => r.id === roomId) ? roomId : (rooms[0]?.id ?? '');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!chosen || busy) return;
    setBusy(true);
    if (await onAdd({ kind: 'room', roomId: chosen, role })) setRoomId('');
    setBusy(false);
  };

  return (
    <form className="booking-subform" onSubmit={(e) => void submit(e)} aria-labelledby="add-room-title" data-testid="add-room">
      <h4 id="add-room-title">{t('booking.rooms.title')}</h4>
      {rooms.length === 0 ? (
        <p className="vdx-hint">{t('booking.rooms.none')}</p>
      ) : (
        <>
          <SelectField id="add-room-id" label={t('booking.rooms.room')} value={chosen} options={rooms.map((r) => ({ value: r.id, label: r.name }))} onChange={(e) => setRoomId(e.target.value)} />
          <SelectField
            id="add-room-role"
            label={t('booking.rooms.role')}
            hint={t('booking.rooms.roleHint')}
            value={role}
            options={[
              { value: 'guest', label: t('booking.rooms.guest') },
              { value: 'host', label: t('booking.rooms.host') },
            ]}
            onChange={(e) => setRole(e.target.value as ParticipantRole)}
          />
          <button type="submit" className="vdx-button" disabled={busy} data-testid="add-room-submit">
            {t('booking.rooms.add')}
          </button>
        </>
      )}
    </form>
  );
}
