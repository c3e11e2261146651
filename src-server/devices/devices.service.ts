import type { Selectable } from 'kysely';
import type { CredentialRotated } from '../../src-shared/devices/enrolment.schema';
import type { CallQuality, CallState, ParsedHeartbeat, UpdateState } from '../../src-shared/devices/heartbeat.schema';
import { MISSED_HEARTBEATS_OFFLINE } from '../../src-shared/devices/heartbeat.schema';
import type { DegradedReason, Device, DeviceConfig, DeviceStatus, LastPreflight } from '../../src-shared/devices/devices.schema';
import type { Principal } from '../auth/principal';
import { HttpError, conflict, forbidden, notFound } from '../http/errors';
import type { DeviceClients } from './device-clients';
import type { Db, FleetContext } from './device-fleet.context';
import type { DeviceTable } from './devices.tables';
import { toRoom } from './rooms/rooms.service';
import { toTheme } from './themes/themes.service';

export interface DeviceFilter {
  roomId?: string;
  organisationCode?: string;
  /** An admin's organisation scope (an empty list matches nothing). */
  organisationCodes?: readonly string[];
  status?: DeviceStatus;
  version?: string;
  includeRevoked?: boolean;
}

/** The 404 of an unknown device; also what an admin gets for a device outside its organisation scope. */
export const deviceNotFound = (id: string) => notFound('device_not_found', `No device "${id}"`);

/**
 * The registry of enrolled devices: management's view (list, get, revoke, rotate, delete) and the
 * device's own (`me`: who am I, my config). Status is derived on read from the last heartbeat and
 * the injected clock, so nothing has to run in the background to turn a silent device offline.
 */
export class DevicesService {
  constructor(
    private readonly ctx: FleetContext,
    private readonly clients: DeviceClients,
  ) {}

  /** Heartbeats older than this mean offline. */
  offlineCutoff(): string {
    const ms = MISSED_HEARTBEATS_OFFLINE * this.ctx.settings.heartbeatIntervalSeconds * 1000;
    return new Date(this.ctx.clock.now().getTime() - ms).toISOString();
  }

  statusOf(row: Pick<Selectable<DeviceTable>, 'last_seen_at' | 'degraded_reasons'>): DeviceStatus {
    if (!row.last_seen_at || row.last_seen_at < this.offlineCutoff()) return 'offline';
    return row.degraded_reasons !== '[]' ? 'degraded' : 'online';
  }

  async list(filter: DeviceFilter = {}): Promise<Device[]> {
    let q = this.ctx.store.db.selectFrom('devices').selectAll();
    if (filter.roomId) q = q.where('room_id', '=', filter.roomId);
    if (filter.organisationCode) q = q.where('organisation_code', '=', filter.organisationCode);
    if (filter.organisationCodes) {
      if (filter.organisationCodes.length === 0) return [];
      q = q.where('organisation_code', 'in', filter.organisationCodes);
    }
    if (filter.version) q = q.where('app_version', '=', filter.version);
    if (!filter.includeRevoked) q = q.where('revoked_at', 'is', null);
    const cutoff = this.offlineCutoff();
    if (filter.status === 'offline') {
      q = q.where((eb) => eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<', cutoff)]));
    } else if (filter.status) {
      q = q
        .where('last_seen_at', '>=', cutoff)
        .where('degraded_reasons', filter.status === 'online' ? '=' : '!=', '[]');
    }
    const rows = await q.orderBy('hostname').orderBy('id').execute();
    return rows.map((r) => this.toDevice(r));
  }

  /** Unrevoked devices by status, counted in the database (for metrics scraped every few seconds). */
  async countByStatus(): Promise<Record<DeviceStatus, number>> {
    const cutoff = this.offlineCutoff();
    const rows = await this.ctx.store.db
      .selectFrom('devices')
      .select((eb) => [
        eb
          .case()
          .when(eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<', cutoff)]))
          .then('offline')
          .when('degraded_reasons', '!=', '[]')
          .then('degraded')
          .else('online')
          .end()
          .as('status'),
        eb.fn.countAll<number | string>().as('n'),
      ])
      .where('revoked_at', 'is', null)
      .groupBy('status')
      .execute();
    const counts: Record<DeviceStatus, number> = { online: 0, offline: 0, degraded: 0 };
    for (const r of rows) counts[r.status as DeviceStatus] = Number(r.n);
    return counts;
  }

  async get(id: string, db: Db = this.ctx.store.db): Promise<Device> {
    return this.toDevice(await this.row(id, db));
  }

  async row(id: string, db: Db = this.ctx.store.db): Promise<Selectable<DeviceTable>> {
    const row = await db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw deviceNotFound(id);
    return row;
  }

  /** The room a device belongs to (undefined for unknown or revoked devices); used by the update feed. */
  async roomOfDevice(deviceId: string): Promise<string | undefined> {
    const row = await this.ctx.store.db
      .selectFrom('devices')
      .select(['room_id', 'revoked_at'])
      .where('id', '=', deviceId)
      .executeTakeFirst();
    return row && !row.revoked_at ? row.room_id : undefined;
  }

  /**
   * The calling device's record, for `/device/v1/me/...` routes. A token without a device id is
   * refused (403); a token of a revoked or deleted device gets 401 even if the token itself is fine.
   */
  async me(principal: Principal): Promise<Selectable<DeviceTable>> {
    if (!principal.deviceId) throw forbidden('device_token_required', 'This needs a device access token');
    const row = await this.ctx.store.db
      .selectFrom('devices')
      .selectAll()
      .where('id', '=', principal.deviceId)
      .executeTakeFirst();
    if (!row || row.revoked_at || (principal.clientId && row.client_id !== principal.clientId)) {
      throw new HttpError(401, 'device_revoked', 'This device’s credential has been revoked');
    }
    return row;
  }

  /** Revokes the device's credential: no new tokens, existing ones refused, event stream closed now. */
  async revoke(actor: Principal, id: string): Promise<Device> {
    const device = await this.ctx.store.db.transaction().execute(async (trx) => {
      const before = await this.get(id, trx);
      if (!before.revokedAt) {
        const now = this.ctx.clock.now().toISOString();
        await this.clients.revokeByDevice(id, trx);
        await trx.updateTable('devices').set({ revoked_at: now, client_id: null, updated_at: now }).where('id', '=', id).execute();
      }
      const after = await this.get(id, trx);
      await this.ctx.audit.record(trx, actor, { action: 'device.revoke', entityType: 'device', entityId: id, before, after });
      return { after, clientId: before.clientId };
    });
    this.#closeStream(id, 'revoked', device.clientId);
    this.ctx.events.emit('fleet.changed', { entity: 'device', id, organisationCode: device.after.organisationCode });
    return device.after;
  }

  /** A new secret for the device's client; the old secret stops working at once. */
  async rotate(actor: Principal, id: string): Promise<CredentialRotated> {
    return this.ctx.store.db.transaction().execute(async (trx) => {
      const row = await this.row(id, trx);
      if (row.revoked_at || !row.client_id) throw conflict('device_revoked', 'A revoked device must enrol again');
      const rotated = await this.clients.rotateSecret(row.client_id, trx);
      await this.ctx.audit.record(trx, actor, {
        action: 'device.rotate',
        entityType: 'device',
        entityId: id,
        after: { clientId: rotated.client.clientId },
      });
      return { deviceId: id, clientId: rotated.client.clientId, clientSecret: rotated.clientSecret };
    });
  }

  /** Removes the device with its credential, commands and health series (call summaries stay for the KPI). */
  async delete(actor: Principal, id: string): Promise<void> {
    const gone = await this.ctx.store.db.transaction().execute(async (trx) => {
      const before = await this.get(id, trx);
      await this.clients.revokeByDevice(id, trx);
      await trx.deleteFrom('device_commands').where('device_id', '=', id).execute();
      await trx.deleteFrom('device_heartbeats').where('device_id', '=', id).execute();
      await trx.deleteFrom('devices').where('id', '=', id).execute();
      await this.ctx.audit.record(trx, actor, { action: 'device.delete', entityType: 'device', entityId: id, before });
      return { clientId: before.clientId, organisationCode: before.organisationCode };
    });
    this.#closeStream(id, 'deleted', gone.clientId);
    this.ctx.events.emit('fleet.changed', { entity: 'device', id, organisationCode: gone.organisationCode });
  }

  /** `GET /device/v1/me/config`. */
  async config(device: Selectable<DeviceTable>): Promise<DeviceConfig> {
    const db = this.ctx.store.db;
    const room = toRoom(await db.selectFrom('rooms').selectAll().where('id', '=', device.room_id).executeTakeFirstOrThrow());
    const themeRow = room.themeId
      ? await db.selectFrom('themes').selectAll().where('id', '=', room.themeId).executeTakeFirst()
      : undefined;
    return {
      deviceId: device.id,
      room: {
        id: room.id,
        name: room.name,
        location: room.location,
        organisationCode: room.organisationCode,
        fixedVmrAlias: room.fixedVmrAlias,
      },
      theme: themeRow ? toTheme(themeRow) : null,
      conferenceNodeUrl: this.ctx.publicUrl,
      maintenanceWindow: room.maintenanceWindow,
      updateChannel: room.updateChannel,
      pinnedVersion: room.pinnedVersion,
      heartbeatIntervalSeconds: this.ctx.settings.heartbeatIntervalSeconds,
      locale: 'da',
      privacy: { showSubjects: room.showSubjects },
      serverTime: this.ctx.clock.now().toISOString(),
    };
  }

  toDevice(row: Selectable<DeviceTable>): Device {
    const status = this.statusOf(row);
    return {
      id: row.id,
      roomId: row.room_id,
      organisationCode: row.organisation_code,
      hostname: row.hostname,
      status,
      degradedReasons: status === 'offline' ? [] : (JSON.parse(row.degraded_reasons) as DegradedReason[]),
      connected: this.ctx.hub.isConnected(row.id),
      lastSeenAt: row.last_seen_at,
      appVersion: row.app_version,
      os: JSON.parse(row.os) as Device['os'],
      hardware: JSON.parse(row.hardware) as Device['hardware'],
      callState: JSON.parse(row.call_state) as CallState,
      callQuality: status === 'offline' ? null : latestCallQuality(row),
      updateState: row.update_state ? (JSON.parse(row.update_state) as UpdateState) : null,
      clientId: row.client_id,
      enrolledAt: row.enrolled_at,
      revokedAt: row.revoked_at,
      lastPreflight: row.last_preflight ? (JSON.parse(row.last_preflight) as LastPreflight) : null,
    };
  }

  #closeStream(deviceId: string, reason: string, clientId: string | null): void {
    this.ctx.hub.disconnect(deviceId, { type: 'device.revoked', data: { reason } });
    this.ctx.events.emit('device.revoked', { deviceId, reason, clientId });
  }
}

/** The latest heartbeat's call quality; only in-call rows are parsed (the heartbeat JSON can be large). */
function latestCallQuality(row: Pick<Selectable<DeviceTable>, 'call_state_kind' | 'latest_heartbeat'>): CallQuality | null {
  if (row.call_state_kind !== 'in_call' || !row.latest_heartbeat) return null;
  return (JSON.parse(row.latest_heartbeat) as ParsedHeartbeat).callQuality ?? null;
}
