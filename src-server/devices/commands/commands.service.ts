import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import type { Command, CommandCreate, CommandResult, CommandStatus, CommandType } from '../../../src-shared/devices/commands.schema';
import type { Principal } from '../../auth/principal';
import { badRequest, conflict, forbidden, notFound, tooManyRequests } from '../../http/errors';
import { toJson, type FleetContext } from '../device-fleet.context';
import type { DeviceCommandTable, DeviceTable } from '../devices.tables';
import type { DevicesService } from '../devices.service';
import type { StampedEvent } from '../events/device-event-hub';

type ParsedCommandCreate = z.output<typeof CommandCreate>;

const DEFAULT_TTL_MS = 24 * 3600_000;
const MAX_TTL_MS = 30 * 24 * 3600_000;
/** Undelivered commands one device may have waiting; more is a runaway script, not IT. */
const MAX_PENDING_PER_DEVICE = 100;

/**
 * Remote commands. Each is persisted with the SSE id it travels under, so it survives
 * disconnects and restarts: sent at once when the device's stream is open here, otherwise when it
 * reconnects or when another server instance holding the stream hears of it (`command.created`);
 * dropped (status `expired`) once `expiresAt` passes without a result. A queued command gets a
 * new id from the hub that finally writes it.
 */
export class CommandsService {
  constructor(
    private readonly ctx: FleetContext,
    private readonly devices: DevicesService,
  ) {}

  async create(actor: Principal, deviceId: string, input: ParsedCommandCreate): Promise<Command> {
    const now = this.ctx.clock.now();
    const expiresMs = input.expiresAt ? Date.parse(input.expiresAt) : now.getTime() + DEFAULT_TTL_MS;
    if (expiresMs <= now.getTime()) throw badRequest('expires_in_past', 'expiresAt must be in the future');
    if (expiresMs > now.getTime() + MAX_TTL_MS) throw badRequest('expires_too_late', 'expiresAt may be at most 30 days ahead');
    const row: Selectable<DeviceCommandTable> = {
      id: randomUUID(),
      device_id: deviceId,
      type: input.type,
      args: toJson(input.args),
      status: 'queued',
      event_id: String(this.ctx.hub.nextId()),
      created_by: actor.subject,
      created_at: now.toISOString(),
      expires_at: new Date(expiresMs).toISOString(),
      delivered_at: null,
      completed_at: null,
      result_detail: null,
    };
    await this.ctx.store.db.transaction().execute(async (trx) => {
      const device = await this.devices.row(deviceId, trx);
      if (device.revoked_at) throw conflict('device_revoked', 'This device has been revoked');
      const pending = await trx
        .selectFrom('device_commands')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('device_id', '=', deviceId)
        .where('status', '=', 'queued')
        .where('expires_at', '>', row.created_at)
        .executeTakeFirstOrThrow();
      if (Number(pending.n) >= MAX_PENDING_PER_DEVICE) {
        throw tooManyRequests('command_queue_full', `At most ${MAX_PENDING_PER_DEVICE} commands may wait for one device`);
      }
      await trx.insertInto('device_commands').values(row).execute();
      await this.ctx.audit.record(trx, actor, {
        action: 'device.command',
        entityType: 'device',
        entityId: deviceId,
        after: { commandId: row.id, type: row.type, args: input.args, expiresAt: row.expires_at },
      });
    });
    if (this.ctx.hub.deliver(deviceId, this.#stamp(row))) await this.markDelivered([row.id]);
    // The device's stream may be open on another server instance.
    this.ctx.events.emit('command.created', { deviceId, commandId: row.id });
    return this.get(deviceId, row.id);
  }

  async list(deviceId: string): Promise<Command[]> {
    await this.devices.row(deviceId);
    await this.expireDue(deviceId);
    const rows = await this.ctx.store.db
      .selectFrom('device_commands')
      .selectAll()
      .where('device_id', '=', deviceId)
      .orderBy('created_at', 'desc')
      .orderBy('event_id', 'desc')
      .limit(500)
      .execute();
    return rows.map(toCommand);
  }

  async get(deviceId: string, id: string): Promise<Command> {
    const row = await this.ctx.store.db
      .selectFrom('device_commands')
      .selectAll()
      .where('id', '=', id)
      .where('device_id', '=', deviceId)
      .executeTakeFirst();
    if (!row) throw notFound('command_not_found', `No command "${id}" for this device`);
    return toCommand(row);
  }

  /** The device's answer. Only the device the command was for may answer, and only once. */
  async result(device: Selectable<DeviceTable>, id: string, result: CommandResult): Promise<Command> {
    await this.expireDue(device.id);
    const db = this.ctx.store.db;
    const row = await db.selectFrom('device_commands').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('command_not_found', `No command "${id}"`);
    if (row.device_id !== device.id) throw forbidden('command_of_another_device', 'This command was sent to another device');
    if (row.status === 'expired') throw conflict('command_expired', 'This command expired before its result arrived');
    if (row.status === 'succeeded' || row.status === 'failed') {
      throw conflict('command_already_completed', 'This command already has a result');
    }
    const now = this.ctx.clock.now().toISOString();
    const updated = await db
      .updateTable('device_commands')
      .set({
        status: result.status,
        completed_at: now,
        delivered_at: row.delivered_at ?? now,
        result_detail: result.detail ?? null,
      })
      .where('id', '=', id)
      .where('status', 'in', ['queued', 'delivered'])
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw conflict('command_already_completed', 'This command already has a result');
    // Management pages showing the device see its result at once (decision 0019).
    this.ctx.events.emit('fleet.changed', { entity: 'device', id: device.id, organisationCode: device.organisation_code });
    return this.get(device.id, id);
  }

  /**
   * Commands a (re)connecting device must get: those never written to a stream, plus those written
   * after the last event the device confirms having seen (`lastEventId`). Without `lastEventId`
   * a delivered command is not repeated — a `restart_app` must not restart the app forever.
   */
  async pendingFor(deviceId: string, lastEventId: number | undefined): Promise<StampedEvent[]> {
    // Read first: almost every connect finds nothing open, and a read does not queue behind writers.
    const rows = await this.ctx.store.db
      .selectFrom('device_commands')
      .selectAll()
      .where('device_id', '=', deviceId)
      .where('status', 'in', ['queued', 'delivered'])
      .execute();
    if (rows.length === 0) return [];
    const now = this.ctx.clock.now().toISOString();
    if (rows.some((r) => r.expires_at <= now)) await this.expireDue(deviceId);
    const due = rows
      .filter((r) => r.expires_at > now)
      .filter((r) => r.status === 'queued' || (lastEventId !== undefined && Number(r.event_id) > lastEventId));
    return (await this.#restamp(due)).map((c) => c.event);
  }

  /**
   * Sends the still queued, unexpired commands of those devices whose stream is open here, and
   * marks them delivered: a command created on another server instance, or one missed while the
   * event relay was down.
   */
  async deliverQueued(deviceIds: Iterable<string>): Promise<void> {
    const connected = [...new Set(deviceIds)].filter((id) => this.ctx.hub.isConnected(id));
    const now = this.ctx.clock.now().toISOString();
    // Chunks keep the IN list within both engines' parameter limits.
    for (let i = 0; i < connected.length; i += 500) {
      const rows = await this.ctx.store.db
        .selectFrom('device_commands')
        .selectAll()
        .where('device_id', 'in', connected.slice(i, i + 500))
        .where('status', '=', 'queued')
        .where('expires_at', '>', now)
        .execute();
      const claimed = await this.#restamp(rows);
      const sent = claimed.filter((c) => this.ctx.hub.deliver(c.row.device_id, c.event));
      await this.markDelivered(sent.map((c) => c.row.id));
    }
  }

  /**
   * A command read back from the store travels under a new id of the hub that writes it (stored
   * with it): the stored id may come from another instance's sequence, and a foreign id could equal
   * one this stream carried or will carry. The store update is conditional on the old id, so of
   * two paths sending the same command (reconnect replay, relayed creation) only one re-stamps it.
   */
  async #restamp(rows: Selectable<DeviceCommandTable>[]): Promise<{ row: Selectable<DeviceCommandTable>; event: StampedEvent }[]> {
    const claimed: { row: Selectable<DeviceCommandTable>; event: StampedEvent }[] = [];
    for (const row of [...rows].sort((a, b) => Number(a.event_id) - Number(b.event_id))) {
      const eventId = String(this.ctx.hub.nextId());
      const moved = await this.ctx.store.db
        .updateTable('device_commands')
        .set({ event_id: eventId })
        .where('id', '=', row.id)
        .where('status', '=', row.status)
        .where('event_id', '=', row.event_id)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) === 1) claimed.push({ row, event: this.#stamp({ ...row, event_id: eventId }) });
    }
    return claimed;
  }

  async markDelivered(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.ctx.store.db
      .updateTable('device_commands')
      .set({ status: 'delivered', delivered_at: this.ctx.clock.now().toISOString() })
      .where('id', 'in', ids)
      .where('status', '=', 'queued')
      .execute();
  }

  /** Marks queued/delivered commands past their expiry as `expired`. */
  async expireDue(deviceId?: string): Promise<void> {
    let q = this.ctx.store.db
      .updateTable('device_commands')
      .set({ status: 'expired' })
      .where('status', 'in', ['queued', 'delivered'])
      .where('expires_at', '<=', this.ctx.clock.now().toISOString());
    if (deviceId) q = q.where('device_id', '=', deviceId);
    await q.execute();
  }

  #stamp(row: Selectable<DeviceCommandTable>): StampedEvent {
    return this.ctx.hub.stamp(
      {
        type: 'command',
        data: {
          id: row.id,
          type: row.type as CommandType,
          args: JSON.parse(row.args) as Record<string, unknown>,
          expiresAt: row.expires_at,
        },
      },
      Number(row.event_id),
    );
  }
}

function toCommand(row: Selectable<DeviceCommandTable>): Command {
  const status = row.status as CommandStatus;
  return {
    id: row.id,
    deviceId: row.device_id,
    type: row.type as CommandType,
    args: JSON.parse(row.args) as Record<string, unknown>,
    status,
    createdAt: row.created_at,
    createdBy: row.created_by,
    expiresAt: row.expires_at,
    deliveredAt: row.delivered_at,
    completedAt: row.completed_at,
    result:
      status === 'succeeded' || status === 'failed'
        ? { status, ...(row.result_detail !== null ? { detail: row.result_detail } : {}) }
        : null,
  };
}
