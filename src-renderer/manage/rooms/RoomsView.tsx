import { useRef, useState } from 'react';
import type { MaintenanceWindow } from '../../../src-shared/devices/common.schema';
import type { Room } from '../../../src-shared/devices/rooms.schema';
import type { Theme } from '../../../src-shared/devices/themes.schema';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/translate';
import { useLoad } from '../../ui/useLoad';
import { useAreaLoad } from '../useAreaLoad';
import type { Translate } from '../fleet-format';
import { deleteRoom, loadRooms, type ManageAuth } from '../manage-api';
import { AreaLoadNotice } from '../AreaLoadNotice';
import { ActivationCodesPanel } from './ActivationCodesPanel';
import { WEEKDAYS } from './room-draft';
import { roomErrorMessage } from './room-errors';
import { RoomForm } from './RoomForm';
import { RoomMessagePanel } from './RoomMessagePanel';

type Panel = { kind: 'none' } | { kind: 'create' } | { kind: 'edit'; room: Room } | { kind: 'codes'; room: Room } | { kind: 'message'; room: Room };

/**
 * The organisation's rooms (the server scopes the list, decision 0011): create, edit, delete, and
 * each room's activation codes. One panel at a time opens above the list; closing it returns the
 * focus to the button that opened it. Every change says what happened in a status line. The list
 * follows changes made elsewhere (another admin, the API) through the event stream.
 */
export function RoomsView({ auth, roomsRound, onSessionEnd }: { auth: ManageAuth; roomsRound: number; onSessionEnd(why: MessageKey): void }) {
  const { t } = useI18n();
  // Read again whenever the event stream says rooms changed (here or by someone else).
  const data = useLoad(() => loadRooms(auth), [auth, roomsRound]);
  const [panel, setPanel] = useState<Panel>({ kind: 'none' });
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const returnFocus = useRef<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useAreaLoad(data.state, heading, onSessionEnd);

  const open = (next: Panel, from: string) => {
    returnFocus.current = from;
    setDone(null);
    setFailure(null);
    setConfirmDelete(null);
    setPanel(next);
  };
  const close = (message?: string) => {
    setPanel({ kind: 'none' });
    if (message) setDone(message);
    const target = returnFocus.current;
    requestAnimationFrame(() => (target && document.getElementById(target) ? document.getElementById(target)!.focus() : heading.current?.focus()));
  };

  const remove = async (room: Room) => {
    setFailure(null);
    try {
      await deleteRoom(auth, room.id);
      setConfirmDelete(null);
      setDone(t('manage.room.deleted', { name: room.name }));
      data.reload();
      heading.current?.focus();
    } catch (err) {
      setFailure(roomErrorMessage(err, t));
    }
  };

  const rooms = data.state.kind === 'ok' ? data.state.value.rooms : [];
  const themes = data.state.kind === 'ok' ? data.state.value.themes : [];
  return (
    <section className="manage-rooms" aria-labelledby="rooms-title">
      <div className="manage-toolbar">
        <h2 id="rooms-title" ref={heading} tabIndex={-1}>
          {t('manage.rooms.title')}
        </h2>
        <button type="button" id="room-create" className="vdx-button primary" data-testid="room-create" onClick={() => open({ kind: 'create' }, 'room-create')}>
          {t('manage.room.createTitle')}
        </button>
      </div>
      <div aria-live="polite">
        {done && (
          <p className="manage-done" role="status" data-testid="rooms-done">
            {done}
          </p>
        )}
      </div>
      {failure && (
        <p className="vdx-error" role="alert" data-testid="rooms-error">
          {failure}
        </p>
      )}
      {(panel.kind === 'create' || panel.kind === 'edit') && (
        <RoomForm
          key={panel.kind === 'edit' ? panel.room.id : 'new'}
          auth={auth}
          room={panel.kind === 'edit' ? panel.room : null}
          themes={themes}
          onCancel={() => close()}
          onSaved={(saved) => {
            data.reload();
            if (panel.kind === 'create') returnFocus.current = 'room-create';
            close(t(panel.kind === 'edit' ? 'manage.room.saved' : 'manage.room.created', { name: saved.name }));
          }}
        />
      )}
      {panel.kind === 'codes' && <ActivationCodesPanel auth={auth} room={panel.room} onClose={() => close()} />}
      {panel.kind === 'message' && <RoomMessagePanel auth={auth} room={panel.room} onClose={() => close()} />}
      <AreaLoadNotice state={data.state} t={t} />
      {data.state.kind === 'ok' && (
        <RoomTable
          rooms={rooms}
          themes={themes}
          t={t}
          confirmDelete={confirmDelete}
          onEdit={(room) => open({ kind: 'edit', room }, `room-edit-${room.id}`)}
          onCodes={(room) => open({ kind: 'codes', room }, `room-codes-${room.id}`)}
          onMessage={(room) => open({ kind: 'message', room }, `room-message-${room.id}`)}
          onAskDelete={(room) => {
            setDone(null);
            setFailure(null);
            setConfirmDelete(room.id);
          }}
          onCancelDelete={(room) => {
            setConfirmDelete(null);
            requestAnimationFrame(() => document.getElementById(`room-delete-${room.id}`)?.focus());
          }}
          onDelete={(room) => void remove(room)}
        />
      )}
    </section>
  );
}

/** "Alle dage 02:00–05:00", "lør, søn 22:00–02:00; …", or "Ingen" for a window without slots. */
export function windowText(window: MaintenanceWindow, t: Translate): string {
  if (window.slots.length === 0) return t('manage.room.windowNoneShort');
  return window.slots
    .map((s) => {
      const days = s.days.length === 7 ? t('manage.day.all') : WEEKDAYS.filter((d) => s.days.includes(d)).map((d) => t(`manage.day.${d}`)).join(', ');
      return `${days} ${s.start}–${s.end}`;
    })
    .join('; ');
}

function RoomTable({
  rooms,
  themes,
  t,
  confirmDelete,
  onEdit,
  onCodes,
  onMessage,
  onAskDelete,
  onCancelDelete,
  onDelete,
}: {
  rooms: Room[];
  themes: Theme[];
  t: Translate;
  confirmDelete: string | null;
  onEdit(room: Room): void;
  onCodes(room: Room): void;
  onMessage(room: Room): void;
  onAskDelete(room: Room): void;
  onCancelDelete(room: Room): void;
  onDelete(room: Room): void;
}) {
  const themeName = new Map(themes.map((th) => [th.id, th.name]));
  return (
    <div className="manage-table-wrap">
      <table className="manage-table manage-room-table">
        <caption>{t('manage.rooms.caption', { count: rooms.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('manage.room.name')}</th>
            <th scope="col">{t('manage.room.theme')}</th>
            <th scope="col">{t('manage.room.channel')}</th>
            <th scope="col">{t('manage.room.vmr')}</th>
            <th scope="col">{t('manage.room.window')}</th>
            <th scope="col">{t('manage.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {rooms.length === 0 ? (
            <tr>
              <td colSpan={6} data-testid="rooms-empty">
                {t('manage.rooms.empty')}
              </td>
            </tr>
          ) : (
            rooms.map((room) => (
              <tr key={room.id} data-testid="room-row" data-room-id={room.id}>
                <th scope="row">
                  <span className="manage-room" data-testid="room-name">
                    {room.name}
                  </span>
                  {room.location && <span className="vdx-hint manage-sub">{room.location}</span>}
                </th>
                <td data-testid="room-theme">{room.themeId ? (themeName.get(room.themeId) ?? t('manage.room.unknownTheme')) : t('manage.room.noTheme')}</td>
                <td data-testid="room-channel">{t(room.updateChannel === 'beta' ? 'manage.channel.beta' : 'manage.channel.stable')}</td>
                <td data-testid="room-vmr">{room.fixedVmrAlias ?? '–'}</td>
                <td data-testid="room-window">{windowText(room.maintenanceWindow, t)}</td>
                <td className="manage-row-actions">
                  {confirmDelete === room.id ? (
                    <div role="group" aria-label={t('manage.room.confirmDelete', { name: room.name })} className="manage-confirm">
                      <span>{t('manage.room.confirmDelete', { name: room.name })}</span>
                      <button type="button" className="vdx-button danger" data-testid="room-delete-confirm" autoFocus onClick={() => onDelete(room)}>
                        {t('manage.room.deleteYes')}
                      </button>
                      <button type="button" className="vdx-button" onClick={() => onCancelDelete(room)}>
                        {t('common.cancel')}
                      </button>
                    </div>
                  ) : (
                    <>
                      <button type="button" id={`room-edit-${room.id}`} className="vdx-button" data-testid="room-edit" aria-label={t('manage.room.editOne', { name: room.name })} onClick={() => onEdit(room)}>
                        {t('manage.room.edit')}
                      </button>
                      <button type="button" id={`room-codes-${room.id}`} className="vdx-button" data-testid="room-codes" aria-label={t('manage.room.codesOne', { name: room.name })} onClick={() => onCodes(room)}>
                        {t('manage.room.codes')}
                      </button>
                      <button type="button" id={`room-message-${room.id}`} className="vdx-button" data-testid="room-message" aria-label={t('manage.room.messageOne', { name: room.name })} onClick={() => onMessage(room)}>
                        {t('manage.room.message')}
                      </button>
                      <button type="button" id={`room-delete-${room.id}`} className="vdx-button" data-testid="room-delete" aria-label={t('manage.room.deleteOne', { name: room.name })} onClick={() => onAskDelete(room)}>
                        {t('manage.room.delete')}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
