import type { Kysely, Transaction } from 'kysely';
import type { Vmr } from '../../src-shared/conference/vmr.schema';
import type { Database } from '../db/schema';
import type { RoomDefinition } from './conference-room';
import type { VmrTable } from './vmr.tables';

type Db = Kysely<Database> | Transaction<Database>;

/** Persistence of fixed VMRs (`conference_vmrs`). */
export class VmrStore {
  async list(db: Db): Promise<Vmr[]> {
    const rows = await db.selectFrom('conference_vmrs').selectAll().orderBy('alias').execute();
    return rows.map(toVmr);
  }

  async get(db: Db, alias: string): Promise<Vmr | undefined> {
    const row = await db.selectFrom('conference_vmrs').selectAll().where('alias', '=', alias.toLowerCase()).executeTakeFirst();
    return row ? toVmr(row) : undefined;
  }

  async insert(db: Db, vmr: Vmr): Promise<void> {
    await db.insertInto('conference_vmrs').values(toRow(vmr)).execute();
  }

  async update(db: Db, vmr: Vmr): Promise<void> {
    const { alias, created_at: _c, ...rest } = toRow(vmr);
    await db.updateTable('conference_vmrs').set(rest).where('alias', '=', alias).execute();
  }

  async delete(db: Db, alias: string): Promise<number> {
    const r = await db.deleteFrom('conference_vmrs').where('alias', '=', alias.toLowerCase()).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

function toVmr(r: VmrTable): Vmr {
  return {
    alias: r.alias,
    name: r.name,
    hostPin: r.host_pin,
    guestPin: r.guest_pin,
    theme: r.theme,
    directMedia: r.direct_media === 'never' ? 'never' : 'best_effort',
    maxParticipants: r.max_participants,
    guestsCanPresent: r.guests_can_present === 1,
    muteAllGuests: r.mute_all_guests === 1,
    lockedByDefault: r.locked_by_default === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toRow(v: Vmr): VmrTable {
  return {
    alias: v.alias.toLowerCase(),
    name: v.name,
    host_pin: v.hostPin,
    guest_pin: v.guestPin,
    theme: v.theme,
    direct_media: v.directMedia,
    max_participants: v.maxParticipants,
    guests_can_present: v.guestsCanPresent ? 1 : 0,
    mute_all_guests: v.muteAllGuests ? 1 : 0,
    locked_by_default: v.lockedByDefault ? 1 : 0,
    created_at: v.createdAt,
    updated_at: v.updatedAt,
  };
}

/** A fixed VMR as the conference node hosts it: always open. */
export function vmrRoom(v: Vmr): RoomDefinition {
  return {
    id: `vmr:${v.alias.toLowerCase()}`,
    source: 'vmr',
    aliases: [v.alias.toLowerCase()],
    name: v.name,
    hostPin: v.hostPin,
    guestPin: v.guestPin,
    directMedia: v.directMedia,
    maxParticipants: v.maxParticipants,
    guestsCanPresent: v.guestsCanPresent,
    muteAllGuests: v.muteAllGuests,
    lockedByDefault: v.lockedByDefault,
    availableFrom: null,
    endsAt: null,
    endMeetingOnEndTime: false,
  };
}
