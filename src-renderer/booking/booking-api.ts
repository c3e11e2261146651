import type { z } from 'zod';
import {
  BookableRoomList,
  Participant,
  ParticipantList,
  type AddParticipantRequest,
  type BookableRoom,
  type ParticipantRole,
} from '../../src-shared/appointments/appointments.contract';
import type {
  CreateMeeting,
  MeetingDto,
  PatchMeeting,
  PoolInfoDto,
  SchedulingInfoDto,
  SchedulingTemplateDto,
} from '../../src-shared/booking/booking.schemas';
import { StaffSessionError } from '../ui/staff-session/staff-session';

/**
 * The booking page's HTTP client: the VDX Booking API (`/videoapi/v2`, exactly as any VDX client
 * uses it) for meetings, their scheduling info, templates and the pool, and the appointments API
 * for the rooms and people taking part. Every request goes through the staff session's `fetch`
 * (bearer token, one renewal on 401). Every failure becomes a `BookingApiError` carrying what the
 * page needs to word it: the HTTP status and, for the VDX API, its `detailed_error_code`.
 */

/** `fetch` with the person's token (the staff session's); tests pass a fake. */
export type AuthorisedFetch = (url: string, init?: RequestInit) => Promise<Response>;

/** A meeting as the booking API answers it, with the rooms the appointments capability adds. */
export type Meeting = MeetingDto & { rooms?: Array<{ roomId: string; role: ParticipantRole }> };
export type SchedulingInfo = SchedulingInfoDto;
export type Template = SchedulingTemplateDto;
export type Pool = PoolInfoDto;
export type { BookableRoom, Participant };

/** Bodies as they go on the wire (timestamps as text). */
export type CreateMeetingBody = z.input<typeof CreateMeeting>;
export type PatchMeetingBody = z.input<typeof PatchMeeting>;

/**
 * - `unreachable`: no answer (network, server down);
 * - `signed-out`: the session ended and could not be renewed;
 * - `rejected`: the server answered with an error (status, VDX code or our code).
 */
export type BookingApiErrorKind = 'unreachable' | 'signed-out' | 'rejected';

export class BookingApiError extends Error {
  constructor(
    readonly kind: BookingApiErrorKind,
    readonly status: number,
    /** The VDX `detailed_error_code` (sent as a string, read as a number). */
    readonly vdxCode?: number,
    /** Our API's stable code (`{error:{code}}`), e.g. `participant_exists`. */
    readonly code?: string,
  ) {
    super(`${kind} ${status}${vdxCode !== undefined ? ` vdx ${vdxCode}` : ''}${code ? ` ${code}` : ''}`);
    this.name = 'BookingApiError';
  }
}

const VDX = '/videoapi/v2';
const APPOINTMENTS = '/appointments/v1';

/** A VDX timestamp in: `2026-03-10T09:00:00Z` (seconds, UTC). */
export function vdxInstant(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface BookingApi {
  /** Meetings starting in [from, to] the caller may see (own, or the organisation's for planners). */
  meetingsBetween(from: Date, to: Date): Promise<Meeting[]>;
  /** The API's free-text search: subject, description, organiser, project code and labels. */
  searchMeetings(text: string): Promise<Meeting[]>;
  meeting(uuid: string): Promise<Meeting>;
  /** A meeting's scheduling info (address, PINs, links, provision status) by the meeting's uuid. */
  schedulingInfo(meetingUuid: string): Promise<SchedulingInfo>;
  templates(): Promise<Template[]>;
  /** The organisation's pool, when it keeps one. */
  pool(organisation: string): Promise<Pool | undefined>;
  createMeeting(body: CreateMeetingBody): Promise<Meeting>;
  patchMeeting(uuid: string, body: PatchMeetingBody): Promise<Meeting>;
  deleteMeeting(uuid: string): Promise<void>;
  rooms(): Promise<BookableRoom[]>;
  participants(meetingUuid: string): Promise<Participant[]>;
  addParticipant(meetingUuid: string, body: AddParticipantRequest): Promise<Participant>;
  removeParticipant(meetingUuid: string, participantId: string): Promise<void>;
}

export function createBookingApi(authorisedFetch: AuthorisedFetch): BookingApi {
  const call = async (method: string, url: string, body?: unknown): Promise<unknown> => {
    let res: Response;
    try {
      res = await authorisedFetch(url, {
        method,
        headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch (err) {
      // The session throws its own error once the sign-in has ended (or renewal found no server);
      // fetch itself a TypeError when there is no answer.
      if (err instanceof StaffSessionError && err.code === 'signed_out') throw new BookingApiError('signed-out', 401);
      throw new BookingApiError('unreachable', 0);
    }
    if (res.status === 204) return undefined;
    const parsed: unknown = await res.json().catch(() => undefined);
    if (!res.ok) throw rejection(res.status, parsed);
    return parsed;
  };
  const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

  return {
    async meetingsBetween(from, to) {
      return list<Meeting>(await call('GET', `${VDX}/meetings?${q({ 'from-start-time': vdxInstant(from), 'to-start-time': vdxInstant(to) })}`));
    },
    async searchMeetings(text) {
      return list<Meeting>(await call('GET', `${VDX}/meetings?${q({ search: text })}`));
    },
    async meeting(uuid) {
      return (await call('GET', `${VDX}/meetings/${encodeURIComponent(uuid)}`)) as Meeting;
    },
    async schedulingInfo(meetingUuid) {
      return (await call('GET', `${VDX}/scheduling-info/${encodeURIComponent(meetingUuid)}`)) as SchedulingInfo;
    },
    async templates() {
      return list<Template>(await call('GET', `${VDX}/scheduling-templates`));
    },
    async pool(organisation) {
      return list<Pool>(await call('GET', `${VDX}/pool`)).find((p) => p.organisationId === organisation);
    },
    async createMeeting(body) {
      return (await call('POST', `${VDX}/meetings`, body)) as Meeting;
    },
    async patchMeeting(uuid, body) {
      return (await call('PATCH', `${VDX}/meetings/${encodeURIComponent(uuid)}`, body)) as Meeting;
    },
    async deleteMeeting(uuid) {
      await call('DELETE', `${VDX}/meetings/${encodeURIComponent(uuid)}`);
    },
    async rooms() {
      return BookableRoomList.parse(await call('GET', `${APPOINTMENTS}/rooms`)).rooms;
    },
    async participants(meetingUuid) {
      return ParticipantList.parse(await call('GET', `${APPOINTMENTS}/meetings/${encodeURIComponent(meetingUuid)}/participants`)).participants;
    },
    async addParticipant(meetingUuid, body) {
      return Participant.parse(await call('POST', `${APPOINTMENTS}/meetings/${encodeURIComponent(meetingUuid)}/participants`, body));
    },
    async removeParticipant(meetingUuid, participantId) {
      await call('DELETE', `${APPOINTMENTS}/meetings/${encodeURIComponent(meetingUuid)}/participants/${encodeURIComponent(participantId)}`);
    },
  };
}

/** The error of an answer: the VDX body (`detailed_error_code`) or ours (`{error:{code}}`). */
function rejection(status: number, body: unknown): BookingApiError {
  if (status === 401) return new BookingApiError('signed-out', status);
  const b = (body ?? {}) as { detailed_error_code?: unknown; error?: unknown };
  const raw = b.detailed_error_code;
  const vdxCode = typeof raw === 'string' || typeof raw === 'number' ? Number(raw) : NaN;
  const code = b.error && typeof b.error === 'object' ? (b.error as { code?: unknown }).code : undefined;
  return new BookingApiError('rejected', status, Number.isInteger(vdxCode) ? vdxCode : undefined, typeof code === 'string' ? code : undefined);
}
