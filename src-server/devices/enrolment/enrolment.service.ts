import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { EnrollResponse } from '../../../src-shared/devices/enrolment.schema';
import type { EnrollRequest } from '../../../src-shared/devices/enrolment.schema';
import type { z } from 'zod';
import { HttpError, badRequest, conflict, tooManyRequests } from '../../http/errors';
import { AttemptLimiter } from '../activation/attempt-limiter';
import { hashActivationCode } from '../activation/activation-codes.service';
import type { DeviceClients } from '../device-clients';
import { toJson, type FleetContext } from '../device-fleet.context';
import type { DeviceTable } from '../devices.tables';

type ParsedEnrollRequest = z.output<typeof EnrollRequest>;

/**
 * Turns a one-time activation code into a device and its OAuth2 credential.
 *
 * The code is consumed with a conditional update inside the transaction (`used_at is null`), so of
 * two concurrent enrolments with one code exactly one wins. Enrolling again into the same room from
 * the same machine *and* install id re-uses the device record and revokes its previous credential;
 * a cloned image (same machine id, different install id) becomes a separate device.
 * Failed attempts are counted per client address; past the limit the address waits (429).
 */
export class EnrolmentService {
  readonly #limiter: AttemptLimiter;

  constructor(
    private readonly ctx: FleetContext,
    private readonly clients: DeviceClients,
  ) {
    this.#limiter = new AttemptLimiter(
      ctx.clock,
      ctx.settings.enrolMaxFailures,
      ctx.settings.enrolWindowMinutes * 60_000,
    );
  }

  async enroll(input: ParsedEnrollRequest, clientAddress: string): Promise<EnrollResponse> {
    const wait = this.#limiter.retryAfterSeconds(clientAddress);
    if (wait > 0) throw tooManyRequests('too_many_attempts', 'Too many failed activation attempts; try again later', wait);
    try {
      return await this.#enroll(input);
    } catch (err) {
      if (err instanceof HttpError && err.code.startsWith('activation_code_')) this.#limiter.fail(clientAddress);
      throw err;
    }
  }

  async #enroll(input: ParsedEnrollRequest): Promise<EnrollResponse> {
    const now = this.ctx.clock.now().toISOString();
    const codeHash = hashActivationCode(input.activationCode);
    const { response, reEnrolled, previousClientId } = await this.ctx.store.db.transaction().execute(async (trx) => {
      const code = await trx.selectFrom('activation_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
      if (!code) throw badRequest('activation_code_invalid', 'This activation code is not valid');
      if (code.revoked_at) throw new HttpError(410, 'activation_code_revoked', 'This activation code has been revoked');
      if (code.used_at) throw conflict('activation_code_used', 'This activation code has already been used');
      if (code.expires_at <= now) throw new HttpError(410, 'activation_code_expired', 'This activation code has expired');

      const existing = await trx
        .selectFrom('devices')
        .select(['id', 'client_id'])
        .where('room_id', '=', code.room_id)
        .where('machine_id_hash', '=', input.machineIdHash)
        .where('install_id', '=', input.installId)
        .executeTakeFirst();
      const deviceId = existing?.id ?? randomUUID();

      const consumed = await trx
        .updateTable('activation_codes')
        .set({ used_at: now, used_by_device_id: deviceId })
        .where('id', '=', code.id)
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (Number(consumed.numUpdatedRows) !== 1) {
        throw conflict('activation_code_used', 'This activation code has already been used');
      }

      const room = await trx.selectFrom('rooms').selectAll().where('id', '=', code.room_id).executeTakeFirstOrThrow();
      const identity = {
        hostname: input.hostname,
        hardware: toJson(input.hardware),
        os: toJson(input.os),
        app_version: input.appVersion,
      };
      if (existing) {
        await this.clients.revokeByDevice(deviceId, trx);
        await trx
          .updateTable('devices')
          .set({ ...identity, enrolled_at: now, revoked_at: null, updated_at: now })
          .where('id', '=', deviceId)
          .execute();
      } else {
        const row: Selectable<DeviceTable> = {
          id: deviceId,
          room_id: room.id,
          organisation_code: room.organisation_code,
          machine_id_hash: input.machineIdHash,
          install_id: input.installId,
          ...identity,
          client_id: null,
          enrolled_at: now,
          last_seen_at: null,
          call_state_kind: 'idle',
          call_state: toJson({ state: 'idle' }),
          update_state: null,
          degraded_reasons: '[]',
          latest_heartbeat: null,
          last_preflight: null,
          revoked_at: null,
          created_at: now,
          updated_at: now,
        };
        await trx.insertInto('devices').values(row).execute();
      }
      const credential = await this.clients.create(
        {
          kind: 'device',
          name: `Room device ${input.hostname}`.slice(0, 200),
          organisation: room.organisation_code,
          roles: [],
          managementAdmin: false,
          scopes: ['device'],
          deviceId,
        },
        trx,
      );
      await trx.updateTable('devices').set({ client_id: credential.client.clientId }).where('id', '=', deviceId).execute();
      const response: EnrollResponse = {
        deviceId,
        clientId: credential.client.clientId,
        clientSecret: credential.clientSecret,
        serverUrl: this.ctx.publicUrl,
        scope: 'device',
        room: { id: room.id, name: room.name, organisationCode: room.organisation_code },
      };
      return { response, reEnrolled: existing !== undefined, previousClientId: existing?.client_id ?? null };
    });
    // The previous installation's stream belongs to the revoked credential.
    if (reEnrolled) {
      this.ctx.hub.disconnect(response.deviceId, { type: 'device.revoked', data: { reason: 're_enrolled' } });
      this.ctx.events.emit('device.revoked', { deviceId: response.deviceId, reason: 're_enrolled', clientId: previousClientId });
    }
    this.ctx.events.emit('fleet.changed', { entity: 'device', id: response.deviceId, organisationCode: response.room.organisationCode });
    return response;
  }
}
