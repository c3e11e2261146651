import type { Clock } from '../../../src-shared/platform/clock';
import type { Store } from '../../db/database';
import type { DomainEventBus } from '../../events/domain-events';
import type { CommandsService } from '../commands/commands.service';
import type { DeviceEventHub } from './device-event-hub';

/**
 * What the device streams this instance holds do with facts from other server instances
 * (origin `relay`; the instance where a fact happened has already pushed to its own streams).
 * Every reaction here is a push to this instance's streams — or marking a command delivered by
 * the one instance that wrote it to the device — never a shared effect that would run once per
 * instance. Schedule pushes are not here: the schedule service reacts to both origins itself.
 *
 * On `relay.resynced` (notifications may have been lost) every stream here catches up: queued
 * commands are sent, streams of revoked or re-enrolled credentials close, and devices are told to
 * refetch config and schedule. Room messages sent meanwhile are lost: they are stored nowhere.
 *
 * Returns the unsubscribe function.
 */
export function followOtherInstances(
  events: DomainEventBus,
  deps: { hub: DeviceEventHub; commands: Pick<CommandsService, 'deliverQueued'>; store: Store; clock: Clock },
): () => void {
  const { hub } = deps;
  const at = () => deps.clock.now().toISOString();
  const offs = [
    events.on('device.revoked', ({ deviceId, reason, clientId }, origin) => {
      if (origin !== 'relay') return;
      // Only a stream of the revoked credential ends; without one (it was already revoked), a stream
      // opened with any credential we know is newer and stays.
      hub.disconnect(deviceId, { type: 'device.revoked', data: { reason } }, clientId ?? '');
    }),
    events.on('command.created', async ({ deviceId }, origin) => {
      if (origin === 'relay') await deps.commands.deliverQueued([deviceId]);
    }),
    events.on('room.message', ({ roomId, message }, origin) => {
      if (origin === 'relay') hub.publishToRoom(roomId, { type: 'message', data: message });
    }),
    events.on('room.changed', ({ roomId }, origin) => {
      if (origin === 'relay') hub.publishToRoom(roomId, { type: 'config_changed', data: { at: at() } });
    }),
    events.on('theme.changed', async ({ themeId }, origin) => {
      if (origin !== 'relay') return;
      const rooms = await deps.store.db.selectFrom('rooms').select('id').where('theme_id', '=', themeId).execute();
      for (const r of rooms) hub.publishToRoom(r.id, { type: 'config_changed', data: { at: at() } });
    }),
    events.on('relay.resynced', async () => {
      const streams = hub.connectedDevices();
      if (streams.length === 0) return;
      await closeRevokedStreams(deps, streams);
      hub.broadcast({ type: 'config_changed', data: { at: at() } });
      hub.broadcast({ type: 'schedule_changed', data: { at: at() } });
      await deps.commands.deliverQueued(hub.connectedDevices().map((s) => s.deviceId));
    }),
  ];
  return () => offs.forEach((off) => off());
}

/** Ends the streams whose device is gone, revoked, or enrolled again since the stream opened. */
async function closeRevokedStreams(
  deps: { hub: DeviceEventHub; store: Store },
  streams: { deviceId: string; clientId?: string }[],
): Promise<void> {
  for (let i = 0; i < streams.length; i += 500) {
    const chunk = streams.slice(i, i + 500);
    const rows = await deps.store.db
      .selectFrom('devices')
      .select(['id', 'client_id', 'revoked_at'])
      .where(
        'id',
        'in',
        chunk.map((s) => s.deviceId),
      )
      .execute();
    const current = new Map(rows.map((r) => [r.id, r]));
    for (const s of chunk) {
      const row = current.get(s.deviceId);
      const stale = !row || row.revoked_at !== null || (s.clientId !== undefined && row.client_id !== s.clientId);
      if (stale) {
        const reason = !row ? 'deleted' : row.revoked_at !== null ? 'revoked' : 're_enrolled';
        deps.hub.disconnect(s.deviceId, { type: 'device.revoked', data: { reason } }, s.clientId);
      }
    }
  }
}
