import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { DEFAULT_MAINTENANCE_WINDOW, type MaintenanceWindow, type UpdateChannel } from '../../../src-shared/devices/common.schema';
import type { Room, RoomCreate, RoomMessageCreate, RoomUpdate } from '../../../src-shared/devices/rooms.schema';
import type { RoomDirectory, RoomView } from '../../appointments/meeting-source';
import type { Principal } from '../../auth/principal';
import { badRequest, conflict, notFound } from '../../http/errors';
import type { RoomTable } from '../devices.tables';
import { toJson, type Db, type FleetContext } from '../device-fleet.context';

const MESSAGE_DEFAULT_MS = 3600_000;

/** The 404 of an unknown room; also what an admin gets for a room outside its organisation scope. */
export const roomNotFound = (id: string) => notFound('room_not_found', `No room "${id}"`);
const MESSAGE_MAX_MS = 7 * 24 * 3600_000;

/** Rooms: where devices live, and what their devices are configured with. */
export class RoomsService {
  constructor(private readonly ctx: FleetContext) {}

  async create(actor: Principal, input: RoomCreate): Promise<Room> {
    const { db } = this.ctx.store;
    const organisationCode = input.organisationCode ?? actor.organisation;
    await this.#requireOrganisation(db, organisationCode);
    if (input.themeId) await this.#requireTheme(db, input.themeId);
    const now = this.ctx.clock.now().toISOString();
    const row: Selectable<RoomTable> = {
      id: randomUUID(),
      name: input.name,
      organisation_code: organisationCode,
      location: input.location ?? null,
      theme_id: input.themeId ?? null,
      fixed_vmr_alias: input.fixedVmrAlias ?? null,
      maintenance_window: toJson(input.maintenanceWindow ?? DEFAULT_MAINTENANCE_WINDOW),
      update_channel: input.updateChannel ?? 'stable',
      pinned_version: input.pinnedVersion ?? null,
      show_subjects: input.showSubjects === false ? 0 : 1,
      created_at: now,
      updated_at: now,
    };
    const room = toRoom(row);
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('rooms').values(row).execute();
      await this.ctx.audit.record(trx, actor, { action: 'room.create', entityType: 'room', entityId: row.id, after: room });
    });
    this.ctx.events.emit('fleet.changed', { entity: 'room', id: room.id, organisationCode });
    return room;
  }

  /** `organisationCodes` limits the list to an admin's organisation scope (an empty list matches nothing). */
  async list(filter: { organisationCode?: string; organisationCodes?: readonly string[] } = {}): Promise<Room[]> {
    let q = this.ctx.store.db.selectFrom('rooms').selectAll();
    if (filter.organisationCode) q = q.where('organisation_code', '=', filter.organisationCode);
    if (filter.organisationCodes) {
      if (filter.organisationCodes.length === 0) return [];
      q = q.where('organisation_code', 'in', filter.organisationCodes);
    }
    return (await q.orderBy('name').orderBy('id').execute()).map(toRoom);
  }

  async get(id: string, db: Db = this.ctx.store.db): Promise<Room> {
    const row = await db.selectFrom('rooms').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw roomNotFound(id);
    return toRoom(row);
  }

  /** For the updates capability (`RoomOwners`): whose admins manage the room; 404 for an unknown room. */
  async organisationOf(id: string): Promise<string> {
    return (await this.get(id)).organisationCode;
  }

  /** For the updates capability (`RoomOwners`): the answer to an unknown or out-of-scope room. */
  readonly notFound = roomNotFound;

  /** For appointments and the device schedule: the room facts they show (`RoomDirectory`). */
  readonly directory: RoomDirectory = {
    room: async (id) => {
      const row = await this.ctx.store.db.selectFrom('rooms').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? roomView(toRoom(row)) : undefined;
    },
    ofOrganisation: async (organisationCode) => (await this.list({ organisationCode })).map(roomView),
  };

  async exists(id: string): Promise<boolean> {
    const row = await this.ctx.store.db.selectFrom('rooms').select('id').where('id', '=', id).executeTakeFirst();
    return row !== undefined;
  }

  async update(actor: Principal, id: string, patch: RoomUpdate): Promise<Room> {
    const after = await this.ctx.store.db.transaction().execute(async (trx) => {
      const before = await this.get(id, trx);
      if (patch.themeId) await this.#requireTheme(trx, patch.themeId);
      const set: Partial<Selectable<RoomTable>> = { updated_at: this.ctx.clock.now().toISOString() };
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.location !== undefined) set.location = patch.location;
      if (patch.themeId !== undefined) set.theme_id = patch.themeId;
      if (patch.fixedVmrAlias !== undefined) set.fixed_vmr_alias = patch.fixedVmrAlias;
      if (patch.maintenanceWindow !== undefined) set.maintenance_window = toJson(patch.maintenanceWindow);
      if (patch.updateChannel !== undefined) set.update_channel = patch.updateChannel;
      if (patch.pinnedVersion !== undefined) set.pinned_version = patch.pinnedVersion;
      if (patch.showSubjects !== undefined) set.show_subjects = patch.showSubjects ? 1 : 0;
      await trx.updateTable('rooms').set(set).where('id', '=', id).execute();
      const after = await this.get(id, trx);
      await this.ctx.audit.record(trx, actor, { action: 'room.update', entityType: 'room', entityId: id, before, after });
      return after;
    });
    this.#configChanged(id);
    this.ctx.events.emit('fleet.changed', { entity: 'room', id, organisationCode: after.organisationCode });
    return after;
  }

  /** For the updates capability (`RoomPins`): `undefined` for an unknown room, `null` when unpinned. */
  async pinnedVersion(roomId: string): Promise<string | null | undefined> {
    const row = await this.ctx.store.db.selectFrom('rooms').select('pinned_version').where('id', '=', roomId).executeTakeFirst();
    return row ? row.pinned_version : undefined;
  }

  /** Pins (or with `null` unpins) the room's app version; audited, and the room's devices are told. */
  async setPinnedVersion(actor: Principal, roomId: string, version: string | null): Promise<void> {
    await this.update(actor, roomId, { pinnedVersion: version });
  }

  /** For the updates capability (`RoomPins`): the pinned rooms, in the order rooms are listed. */
  async listPinned(): Promise<{ roomId: string; version: string }[]> {
    const rows = await this.ctx.store.db
      .selectFrom('rooms')
      .select(['id', 'pinned_version'])
      .where('pinned_version', 'is not', null)
      .orderBy('name')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ roomId: r.id, version: r.pinned_version! }));
  }

  /** Deletes a room that has no enrolled (unrevoked) devices; its activation codes go with it. */
  async delete(actor: Principal, id: string): Promise<void> {
    const organisationCode = await this.ctx.store.db.transaction().execute(async (trx) => {
      const before = await this.get(id, trx);
      const devices = await trx
        .selectFrom('devices')
        .select('id')
        .where('room_id', '=', id)
        .execute();
      if (devices.length > 0) {
        throw conflict('room_has_devices', 'Delete or move the room’s devices first', { devices: devices.length });
      }
      await trx.deleteFrom('activation_codes').where('room_id', '=', id).execute();
      await trx.deleteFrom('rooms').where('id', '=', id).execute();
      await this.ctx.audit.record(trx, actor, { action: 'room.delete', entityType: 'room', entityId: id, before });
      return before.organisationCode;
    });
    this.ctx.events.emit('fleet.changed', { entity: 'room', id, organisationCode });
  }

  /** Shows a message on every screen of the room until it expires (not stored beyond the hub's backlog). */
  async sendMessage(actor: Principal, roomId: string, input: RoomMessageCreate) {
    const now = this.ctx.clock.now().getTime();
    const expiresMs = input.expiresAt ? Date.parse(input.expiresAt) : now + MESSAGE_DEFAULT_MS;
    if (expiresMs <= now) throw badRequest('expires_in_past', 'expiresAt must be in the future');
    if (expiresMs > now + MESSAGE_MAX_MS) throw badRequest('expires_too_late', 'expiresAt may be at most 7 days ahead');
    const message = {
      id: randomUUID(),
      roomId,
      text: input.text,
      severity: input.severity ?? 'info',
      expiresAt: new Date(expiresMs).toISOString(),
    };
    await this.ctx.store.db.transaction().execute(async (trx) => {
      await this.get(roomId, trx);
      await this.ctx.audit.record(trx, actor, { action: 'room.message', entityType: 'room', entityId: roomId, after: message });
    });
    const data = { id: message.id, text: message.text, severity: message.severity, expiresAt: message.expiresAt };
    const eventId = this.ctx.hub.publishToRoom(roomId, { type: 'message', data });
    // Screens of the room whose streams are open on other server instances.
    this.ctx.events.emit('room.message', { roomId, message: data });
    return { ...message, eventId, connectedDevices: this.ctx.hub.connectedInRoom(roomId) };
  }

  #configChanged(roomId: string): void {
    this.ctx.hub.publishToRoom(roomId, { type: 'config_changed', data: { at: this.ctx.clock.now().toISOString() } });
    this.ctx.events.emit('room.changed', { roomId });
  }

  async #requireOrganisation(db: Db, code: string): Promise<void> {
    const org = await db.selectFrom('organisations').select('code').where('code', '=', code).executeTakeFirst();
    if (!org) throw badRequest('organisation_not_found', `No organisation "${code}"`);
  }

  async #requireTheme(db: Db, id: string): Promise<void> {
    const theme = await db.selectFrom('themes').select('id').where('id', '=', id).executeTakeFirst();
    if (!theme) throw badRequest('theme_not_found', `No theme "${id}"`);
  }
}

function roomView(room: Room): RoomView {
  return { id: room.id, name: room.name, organisationCode: room.organisationCode, showSubjects: room.showSubjects };
}

export function toRoom(row: Selectable<RoomTable>): Room {
  return {
    id: row.id,
    name: row.name,
    organisationCode: row.organisation_code,
    location: row.location,
    themeId: row.theme_id,
    fixedVmrAlias: row.fixed_vmr_alias,
    maintenanceWindow: JSON.parse(row.maintenance_window) as MaintenanceWindow,
    updateChannel: row.update_channel as UpdateChannel,
    pinnedVersion: row.pinned_version,
    showSubjects: row.show_subjects === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
