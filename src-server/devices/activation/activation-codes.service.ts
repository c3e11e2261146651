import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import {
  ACTIVATION_ALPHABET,
  ACTIVATION_CODE_LENGTH,
  formatActivationCode,
  type ActivationCodeCreate,
  type ActivationCodeCreated,
  type ActivationCodeSummary,
} from '../../../src-shared/devices/activation.schema';
import type { Principal } from '../../auth/principal';
import { badRequest, notFound } from '../../http/errors';
import type { ActivationCodeTable } from '../devices.tables';
import type { Db, FleetContext } from '../device-fleet.context';
import type { RoomsService } from '../rooms/rooms.service';

const MAX_EXPIRY_DAYS = 90;

/**
 * The stored form of a normalised code. Codes carry ~55 bits from a CSPRNG and guessing is
 * throttled per address, so a fast unsalted hash suffices (and allows a unique index lookup);
 * a password hash would only add latency. The plain code exists only in the creation response.
 */
export function hashActivationCode(normalised: string): string {
  return createHash('sha256').update(normalised, 'utf8').digest('hex');
}

export function generateActivationCode(): string {
  let code = '';
  for (let i = 0; i < ACTIVATION_CODE_LENGTH; i++) code += ACTIVATION_ALPHABET[randomInt(ACTIVATION_ALPHABET.length)];
  return code;
}

/** One-time activation codes for a room: create (shown once), list (never the code), revoke. */
export class ActivationCodesService {
  constructor(
    private readonly ctx: FleetContext,
    private readonly rooms: RoomsService,
  ) {}

  async create(actor: Principal, roomId: string, input: ActivationCodeCreate): Promise<ActivationCodeCreated> {
    const now = this.ctx.clock.now();
    const expiresMs = input.expiresAt
      ? Date.parse(input.expiresAt)
      : now.getTime() + this.ctx.settings.activationCodeDays * 24 * 3600_000;
    if (expiresMs <= now.getTime()) throw badRequest('expires_in_past', 'expiresAt must be in the future');
    if (expiresMs > now.getTime() + MAX_EXPIRY_DAYS * 24 * 3600_000) {
      throw badRequest('expires_too_late', `expiresAt may be at most ${MAX_EXPIRY_DAYS} days ahead`);
    }
    const code = generateActivationCode();
    const row: Selectable<ActivationCodeTable> = {
      id: randomUUID(),
      room_id: roomId,
      code_hash: hashActivationCode(code),
      note: input.note ?? null,
      created_by: actor.subject,
      created_at: now.toISOString(),
      expires_at: new Date(expiresMs).toISOString(),
      used_at: null,
      used_by_device_id: null,
      revoked_at: null,
    };
    await this.ctx.store.db.transaction().execute(async (trx) => {
      await this.rooms.get(roomId, trx);
      await trx.insertInto('activation_codes').values(row).execute();
      await this.ctx.audit.record(trx, actor, {
        action: 'activation_code.create',
        entityType: 'activation_code',
        entityId: row.id,
        after: this.#summary(row),
      });
    });
    const shown = formatActivationCode(code);
    return {
      id: row.id,
      roomId,
      code: shown,
      url: `vdxroom://activate?server=${encodeURIComponent(this.ctx.publicUrl)}&code=${shown}`,
      expiresAt: row.expires_at,
      createdAt: row.created_at,
    };
  }

  async list(roomId: string): Promise<ActivationCodeSummary[]> {
    await this.rooms.get(roomId);
    const rows = await this.ctx.store.db
      .selectFrom('activation_codes')
      .selectAll()
      .where('room_id', '=', roomId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map((r) => this.#summary(r));
  }

  /** Revokes an unused code (idempotent); a used code stays as the record of its enrolment. */
  async revoke(actor: Principal, roomId: string, codeId: string): Promise<ActivationCodeSummary> {
    return this.ctx.store.db.transaction().execute(async (trx) => {
      const row = await this.#require(trx, roomId, codeId);
      if (row.revoked_at || row.used_at) return this.#summary(row);
      const now = this.ctx.clock.now().toISOString();
      await trx.updateTable('activation_codes').set({ revoked_at: now }).where('id', '=', codeId).execute();
      const after = { ...row, revoked_at: now };
      await this.ctx.audit.record(trx, actor, {
        action: 'activation_code.revoke',
        entityType: 'activation_code',
        entityId: codeId,
        before: this.#summary(row),
        after: this.#summary(after),
      });
      return this.#summary(after);
    });
  }

  async #require(db: Db, roomId: string, codeId: string) {
    const row = await db
      .selectFrom('activation_codes')
      .selectAll()
      .where('id', '=', codeId)
      .where('room_id', '=', roomId)
      .executeTakeFirst();
    if (!row) throw notFound('activation_code_not_found', `No activation code "${codeId}" in this room`);
    return row;
  }

  #summary(row: Selectable<ActivationCodeTable>): ActivationCodeSummary {
    const now = this.ctx.clock.now().toISOString();
    const status = row.used_at ? 'used' : row.revoked_at ? 'revoked' : row.expires_at <= now ? 'expired' : 'active';
    return {
      id: row.id,
      roomId: row.room_id,
      status,
      note: row.note,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      usedAt: row.used_at,
      usedByDeviceId: row.used_by_device_id,
      revokedAt: row.revoked_at,
    };
  }
}
