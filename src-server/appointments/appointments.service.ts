import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { AddParticipantRequest, Participant, ParticipantRole } from '../../src-shared/appointments/appointments.contract';
import type { Clock } from '../../src-shared/platform/clock';
import type { Principal } from '../auth/principal';
import type { Store } from '../db/database';
import { preparedQuery } from '../db/prepared-query';
import type { DomainEventBus } from '../events/domain-events';
import { conflict, forbidden, notFound } from '../http/errors';
import type { AppointmentParticipantTable } from './appointments.tables';
import type { BookedMeetingView, MeetingSource, RoomDirectory } from './meeting-source';

/**
 * The rooms of some meetings. Every booking API answer that carries a meeting asks this
 * (meeting-rooms.hook.ts), so it is compiled once per list length (db/prepared-query.ts).
 */
const roomsOfMeetingsQuery = preparedQuery((db, p: { meetingUuids: string[] }) =>
  db
    .selectFrom('appointment_participants')
    .select(['meeting_uuid', 'room_id', 'role'])
    .where('meeting_uuid', 'in', p.meetingUuids)
    .where('room_id', 'is not', null)
    .orderBy('created_at')
    .orderBy('id'),
);

/** A room's part in a meeting, as the schedule and the calendar need it. */
export interface RoomAppointment {
  meeting: BookedMeetingView;
  role: ParticipantRole;
}

/**
 * Participants of booked meetings. Callers with a booking role act on their own organisation's
 * meetings; management-admin on any. Every change announces `appointment.changed` (after commit)
 * with the rooms it touched, which is what pushes `schedule_changed` to those rooms' devices.
 */
export class AppointmentsService {
  constructor(
    private readonly deps: {
      store: Store;
      clock: Clock;
      events: DomainEventBus;
      meetings: MeetingSource;
      rooms: RoomDirectory;
      /**
       * Whether a management admin's organisation scope (decision 0011) includes an organisation;
       * without it a management admin may act on every organisation's meetings.
       */
      adminCovers?: (actor: Principal, organisationCode: string) => Promise<boolean>;
    },
  ) {}

  async add(actor: Principal, meetingUuid: string, input: AddParticipantRequest): Promise<Participant> {
    await this.#visibleMeeting(actor, meetingUuid);
    if (input.kind === 'room' && !(await this.deps.rooms.room(input.roomId))) {
      throw notFound('room_not_found', `No room ${input.roomId}`);
    }
    const row: AppointmentParticipantTable = {
      id: orderedId(),
      meeting_uuid: meetingUuid,
      kind: input.kind,
      room_id: input.kind === 'room' ? input.roomId : null,
      role: input.kind === 'room' ? input.role : null,
      name: input.kind === 'person' ? input.name : null,
      phone: input.kind === 'person' ? (input.phone ?? null) : null,
      email: input.kind === 'person' ? (input.email ?? null) : null,
      created_at: this.deps.clock.now().toISOString(),
      created_by: actor.subject,
    };
    await this.deps.store.db.transaction().execute(async (trx) => {
      if (row.room_id) {
        const existing = await trx
          .selectFrom('appointment_participants')
          .select('id')
          .where('meeting_uuid', '=', meetingUuid)
          .where('room_id', '=', row.room_id)
          .executeTakeFirst();
        if (existing) throw conflict('participant_exists', `Room ${row.room_id} already takes part`, { id: existing.id });
      }
      await trx.insertInto('appointment_participants').values(row).execute();
    });
    this.deps.events.emit('appointment.changed', { meetingUuid, roomIds: row.room_id ? [row.room_id] : [] });
    return toParticipant(row);
  }

  async list(actor: Principal, meetingUuid: string): Promise<Participant[]> {
    await this.#visibleMeeting(actor, meetingUuid);
    const rows = await this.deps.store.db
      .selectFrom('appointment_participants')
      .selectAll()
      .where('meeting_uuid', '=', meetingUuid)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toParticipant);
  }

  async remove(actor: Principal, meetingUuid: string, participantId: string): Promise<void> {
    await this.#visibleMeeting(actor, meetingUuid);
    const row = await this.deps.store.db
      .deleteFrom('appointment_participants')
      .where('id', '=', participantId)
      .where('meeting_uuid', '=', meetingUuid)
      .returning(['room_id'])
      .executeTakeFirst();
    if (!row) throw notFound('participant_not_found', `No participant ${participantId} in meeting ${meetingUuid}`);
    this.deps.events.emit('appointment.changed', { meetingUuid, roomIds: row.room_id ? [row.room_id] : [] });
  }

  /** Rooms taking part in a meeting (for pushing schedule changes when the meeting changes). */
  async roomsOfMeeting(meetingUuid: string): Promise<string[]> {
    const rows = await this.deps.store.db
      .selectFrom('appointment_participants')
      .select('room_id')
      .where('meeting_uuid', '=', meetingUuid)
      .where('room_id', 'is not', null)
      .execute();
    return rows.map((r) => r.room_id!);
  }

  /** The rooms (with roles) of each of `meetingUuids`, for showing them on booking API meetings. */
  async roomsOfMeetings(meetingUuids: string[]): Promise<Map<string, { roomId: string; role: ParticipantRole }[]>> {
    const result = new Map<string, { roomId: string; role: ParticipantRole }[]>();
    if (meetingUuids.length === 0) return result;
    const rows = await roomsOfMeetingsQuery.rows(this.deps.store.db, { meetingUuids });
    for (const r of rows) {
      const list = result.get(r.meeting_uuid) ?? [];
      list.push({ roomId: r.room_id!, role: (r.role ?? 'guest') as ParticipantRole });
      result.set(r.meeting_uuid, list);
    }
    return result;
  }

  /** The room's meetings overlapping [from, to), ordered by start. */
  async roomAppointments(roomId: string, from: Date, to: Date): Promise<RoomAppointment[]> {
    const rows = await this.deps.store.db
      .selectFrom('appointment_participants')
      .select(['meeting_uuid', 'role'])
      .where('room_id', '=', roomId)
      .execute();
    const roleOf = new Map(rows.map((r) => [r.meeting_uuid, (r.role ?? 'guest') as ParticipantRole]));
    const meetings = await this.deps.meetings.meetingsBetween([...roleOf.keys()], from, to);
    return meetings.map((meeting) => ({ meeting, role: roleOf.get(meeting.uuid)! }));
  }

  async #visibleMeeting(actor: Principal, uuid: string): Promise<BookedMeetingView> {
    const meeting = await this.deps.meetings.meeting(uuid);
    if (!meeting) throw notFound('meeting_not_found', `No meeting ${uuid}`);
    const adminMayAct =
      actor.managementAdmin && (this.deps.adminCovers ? await this.deps.adminCovers(actor, meeting.organisationCode) : true);
    if (!adminMayAct && meeting.organisationCode !== actor.organisation) {
      // Same answer as for a missing meeting would hide existence, but booking clients know uuids
      // only of meetings they were shown; a clear 403 helps them more.
      throw forbidden('meeting_not_yours', 'This meeting belongs to another organisation');
    }
    return meeting;
  }
}

let lastMs = 0;
let counter = 0;
/**
 * A UUIDv7-shaped id (RFC 9562: 48-bit Unix milliseconds, then a per-millisecond counter and
 * random bits), so participants list in the order they were added even when the injected clock
 * stands still, as it does in tests.
 */
function orderedId(): string {
  const ms = Date.now();
  counter = ms === lastMs ? counter + 1 : 0;
  lastMs = ms;
  const hex = ms.toString(16).padStart(12, '0') + (0x7000 | (counter & 0xfff)).toString(16) + randomBytes(8).toString('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function toParticipant(row: Selectable<AppointmentParticipantTable>): Participant {
  return {
    id: row.id,
    meetingUuid: row.meeting_uuid,
    kind: row.kind as Participant['kind'],
    roomId: row.room_id,
    role: row.role as ParticipantRole | null,
    name: row.name,
    phone: row.phone,
    email: row.email,
    createdAt: row.created_at,
  };
}
