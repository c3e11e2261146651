import { z } from 'zod';

/**
 * Appointments (`/appointments/v1/...`): who takes part in a booked VDX meeting — room devices
 * (as host or guest, which decides the PIN they join with) and people (name, mobile for the SMS
 * invitation, e-mail).
 */

export const ParticipantRole = z.enum(['host', 'guest']);
export type ParticipantRole = z.infer<typeof ParticipantRole>;

/**
 * A mobile number in E.164 (`+4512345678`). Danish numbers may be given as 8 digits (spaces,
 * dashes allowed: `12 34 56 78`) and become `+45…`; `00` as international prefix becomes `+`.
 */
export const PhoneNumber = z
  .string()
  .max(40)
  .transform((raw, ctx) => {
    const compact = raw.replace(/[\s\-().]/g, '');
    const intl = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
    if (/^\d{8}$/.test(intl)) return `+45${intl}`;
    if (/^\+[1-9]\d{6,14}$/.test(intl)) return intl;
    ctx.addIssue({ code: 'custom', message: 'must be an E.164 number (+4512345678) or 8 Danish digits' });
    return z.NEVER;
  });

export const AddRoomParticipant = z.object({
  kind: z.literal('room'),
  roomId: z.string().min(1).max(100),
  role: ParticipantRole,
});

export const AddPersonParticipant = z.object({
  kind: z.literal('person'),
  name: z.string().trim().min(1).max(200),
  phone: PhoneNumber.optional(),
  email: z.email().max(254).optional(),
});

/** `POST /appointments/v1/meetings/{uuid}/participants`. */
export const AddParticipantRequest = z.discriminatedUnion('kind', [AddRoomParticipant, AddPersonParticipant]);
export type AddParticipantRequest = z.infer<typeof AddParticipantRequest>;

export const Participant = z.object({
  id: z.string(),
  meetingUuid: z.string(),
  kind: z.enum(['room', 'person']),
  /** Rooms only. */
  roomId: z.string().nullable(),
  role: ParticipantRole.nullable(),
  /** People only. */
  name: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  createdAt: z.string(),
});
export type Participant = z.infer<typeof Participant>;

export const ParticipantList = z.object({ participants: z.array(Participant) });

/** `GET /appointments/v1/rooms`: the caller's organisation's rooms a booker may invite. */
export const BookableRoom = z.object({ id: z.string(), name: z.string() });
export type BookableRoom = z.infer<typeof BookableRoom>;
export const BookableRoomList = z.object({ rooms: z.array(BookableRoom) });

export const MeetingParams = z.object({ uuid: z.string().min(1).max(100) });
export const ParticipantParams = z.object({ uuid: z.string().min(1).max(100), participantId: z.string().min(1).max(100) });
export const CalendarParams = z.object({ id: z.string().min(1).max(100) });
export const CalendarQuery = z.object({
  /** Window of meetings in the calendar; default 30 days back to 180 days ahead. */
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
