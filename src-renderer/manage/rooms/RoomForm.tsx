import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Room } from '../../../src-shared/devices/rooms.schema';
import type { Theme } from '../../../src-shared/devices/themes.schema';
import { useI18n } from '../../i18n/I18nProvider';
import { CheckboxField } from '../../ui/CheckboxField';
import { SelectField } from '../../ui/SelectField';
import { TextField } from '../../ui/TextField';
import { createRoom, updateRoom, type ManageAuth } from '../manage-api';
import { MaintenanceWindowFields } from './MaintenanceWindowFields';
import { draftOfRoom, draftProblems, emptyRoomDraft, roomBody, type DraftProblems, type RoomDraft } from './room-draft';
import { roomErrorMessage } from './room-errors';

/**
 * Creates a room or edits one: name, location, theme, fixed VMR, update channel, whether the
 * kiosk shows subjects, maintenance window. Problems the page can see are named at their field
 * before anything is sent; a refusal from the server is said above the buttons.
 */
export function RoomForm({
  auth,
  room,
  themes,
  onSaved,
  onCancel,
}: {
  auth: ManageAuth;
  room: Room | null;
  themes: Theme[];
  onSaved(room: Room): void;
  onCancel(): void;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<RoomDraft>(() => (room ? draftOfRoom(room) : emptyRoomDraft()));
  const [problems, setProblems] = useState<DraftProblems>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const set = (patch: Partial<RoomDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (working) return;
    const found = draftProblems(draft);
    setProblems(found);
    if (Object.keys(found).length > 0) {
      // The first field with a problem gets the focus (its message is read with it).
      requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"], .manage-slot[aria-describedby] input')?.focus());
      return;
    }
    setWorking(true);
    setFailure(null);
    try {
      const body = roomBody(draft);
      onSaved(room ? await updateRoom(auth, room.id, body) : await createRoom(auth, body));
    } catch (err) {
      setFailure(roomErrorMessage(err, t));
      setWorking(false);
    }
  };

  const themeOptions = [{ value: '', label: t('manage.room.noTheme') }, ...themes.map((th) => ({ value: th.id, label: th.name }))];
  const title = room ? t('manage.room.editTitle', { name: room.name }) : t('manage.room.createTitle');
  return (
    <form ref={form} className="vdx-card manage-panel" aria-labelledby="room-form-title" onSubmit={(e) => void submit(e)} noValidate data-testid="room-form">
      <h3 id="room-form-title" ref={heading} tabIndex={-1}>
        {title}
      </h3>
      <div className="manage-form-grid">
        <TextField
          id="room-name"
          name="name"
          label={t('manage.room.name')}
          value={draft.name}
          onChange={(e) => set({ name: e.target.value })}
          error={problems.name && t('manage.room.problem.name')}
          maxLength={200}
          required
        />
        <TextField id="room-location" name="location" label={t('manage.room.location')} value={draft.location} onChange={(e) => set({ location: e.target.value })} maxLength={500} />
        <SelectField id="room-theme" name="themeId" label={t('manage.room.theme')} value={draft.themeId} options={themeOptions} onChange={(e) => set({ themeId: e.target.value })} />
        <SelectField
          id="room-channel"
          name="updateChannel"
          label={t('manage.room.channel')}
          hint={t('manage.room.channelHint')}
          value={draft.updateChannel}
          options={[
            { value: 'stable', label: t('manage.channel.stable') },
            { value: 'beta', label: t('manage.channel.beta') },
          ]}
          onChange={(e) => set({ updateChannel: e.target.value === 'beta' ? 'beta' : 'stable' })}
        />
        <TextField
          id="room-vmr"
          name="fixedVmrAlias"
          label={t('manage.room.vmr')}
          hint={t('manage.room.vmrHint')}
          value={draft.fixedVmrAlias}
          onChange={(e) => set({ fixedVmrAlias: e.target.value })}
          error={problems.fixedVmrAlias && t('manage.room.problem.alias')}
          maxLength={200}
          spellCheck={false}
          autoComplete="off"
        />
        <CheckboxField id="room-subjects" label={t('manage.room.showSubjects')} checked={draft.showSubjects} onChange={(e) => set({ showSubjects: e.target.checked })} />
      </div>
      <MaintenanceWindowFields timeZone={draft.timeZone} slots={draft.slots} problems={problems} onChange={(slots) => set({ slots })} />
      {failure && (
        <p className="vdx-error" role="alert" data-testid="room-form-error">
          {failure}
        </p>
      )}
      <div className="manage-actions">
        <button type="submit" className="vdx-button primary" data-testid="room-save" disabled={working}>
          {working ? t('manage.room.saving') : room ? t('manage.room.save') : t('manage.room.create')}
        </button>
        <button type="button" className="vdx-button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
