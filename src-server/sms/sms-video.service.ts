import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { CreateMeeting, type MeetingDto } from '../../src-shared/booking/booking.schemas';
import { formatVdxTime } from '../../src-shared/booking/vdx-time';
import type { Clock } from '../../src-shared/platform/clock';
import type { SendSmsMeetingRequest, SendSmsMeetingResponse, SmsMessageDto } from '../../src-shared/sms/sms.contract';
import type { Principal } from '../auth/principal';
import { ROLES, bookingCaller } from '../booking/booking.access';
import type { MeetingsService } from '../booking/meetings.service';
import type { Store } from '../db/database';
import { HttpError, badRequest, forbidden, notFound, unauthorized } from '../http/errors';
import { newPersonalToken, personalLink } from './personal-link';
import { parseMobileNumber, phoneRejectionMessage } from './phone-number';
import { assertWithinSmsLimits, type SmsLimits } from './sms-limits';
import { enqueueSms } from './sms-queue';
import { smsSegments } from './sms-segments';
import type { SmsMessageTable } from './sms.tables';

/** How long an ad hoc SMS meeting lasts (its personal links die with it). */
const AD_HOC_MINUTES = 60;
/** The longest text accepted, link included: more parts cost more and arrive out of order more often. */
const MAX_SEGMENTS = 6;
/** The sender id on the phone when the organisation has no smsSenderName. */
const DEFAULT_SENDER = 'VDX';

export interface SmsVideoDeps {
  store: Store;
  clock: Clock;
  meetings: Pick<MeetingsService, 'createMeeting' | 'deleteMeeting'>;
  /** Where personal links point: PUBLIC_URL + `/join/`. */
  joinBase: string;
  limits: SmsLimits;
  /** Tells the send job there is work (after the messages are committed). */
  queued(): void;
}

/**
 * SMS Video: one request makes an ad hoc meeting starting now (through the booking service, so
 * VDX's ad hoc rules hold: code 19 where the organisation allows none), a personal link for the
 * clinician (host) and for each recipient (a named guest), and one queued text message per
 * recipient. Everything is checked before anything is written: a bad number, a too-long text or a
 * spent hourly limit leaves no meeting and sends nothing.
 */
export class SmsVideoService {
  constructor(private readonly deps: SmsVideoDeps) {}

  async sendMeeting(principal: Principal, body: SendSmsMeetingRequest): Promise<SendSmsMeetingResponse> {
    const caller = meetingWriter(principal);
    const recipients = parseRecipients(body.recipients);
    const { store, clock } = this.deps;
    const now = clock.now();
    const org = await store.db.selectFrom('organisations').select(['sms_sender_name']).where('code', '=', caller.organisation).executeTakeFirst();
    const senderName = org?.sms_sender_name?.trim() || DEFAULT_SENDER;

    // The text's length does not depend on the token's letters, only on its (fixed) length.
    const texts = recipients.map((r) => invitationText(body.message, r.name, personalLink(this.deps.joinBase, 'x'.repeat(12), 'x'.repeat(24))));
    const longest = texts.reduce((a, b) => (smsSegments(b).segments > smsSegments(a).segments ? b : a));
    if (smsSegments(longest).segments > MAX_SEGMENTS) {
      throw badRequest('message_too_long', `Beskeden er for lang: den fylder mere end ${MAX_SEGMENTS} SMS med linket. Gør teksten kortere.`, {
        maxSegments: MAX_SEGMENTS,
        segments: smsSegments(longest).segments,
      });
    }
    const who = { sender: senderKey(principal), organisation: caller.organisation };
    await assertWithinSmsLimits(store.db, this.deps.limits, who, recipients.length, now);

    const end = new Date(now.getTime() + AD_HOC_MINUTES * 60_000);
    const meeting = await this.#createMeeting(caller, now, end);
    try {
      const host = newPersonalToken();
      const links = recipients.map(() => newPersonalToken());
      const rows = await store.db.transaction().execute(async (trx) => {
        // Counted again inside the writing transaction (see assertWithinSmsLimits on races).
        await assertWithinSmsLimits(trx, this.deps.limits, who, recipients.length, now);
        const expires = end.toISOString();
        const ids = recipients.map(() => randomUUID());
        await trx
          .insertInto('sms_links')
          .values([
            { token_hash: host.hash, meeting_uuid: meeting.uuid, message_id: null, role: 'host', display_name: principal.email ?? 'Vært', expires_at: expires, created_at: now.toISOString() },
            ...recipients.map((r, i) => ({
              token_hash: links[i]!.hash,
              meeting_uuid: meeting.uuid,
              message_id: ids[i]!,
              role: 'guest' as const,
              display_name: r.name ?? 'Gæst',
              expires_at: expires,
              created_at: now.toISOString(),
            })),
          ])
          .execute();
        return enqueueSms(
          trx,
          recipients.map((r, i) => ({
            id: ids[i]!,
            organisation: caller.organisation,
            senderSubject: senderKey(principal),
            senderEmail: principal.email ?? null,
            meetingUuid: meeting.uuid,
            phone: r.e164,
            recipientName: r.name ?? null,
            senderName,
            text: invitationText(body.message, r.name, personalLink(this.deps.joinBase, meeting.shortId, links[i]!.token)),
          })),
          now,
        );
      });
      this.deps.queued();
      return {
        meeting: { ...meeting },
        hostLink: personalLink(this.deps.joinBase, meeting.shortId, host.token),
        messages: rows.map((row, i) => ({ ...toMessageDto(row), link: personalLink(this.deps.joinBase, meeting.shortId, links[i]!.token) })),
      };
    } catch (err) {
      // Nothing was queued: take the meeting back rather than leave an empty one (best effort: a
      // pool VMR taken over is already provisioned, and stays until its end).
      await this.deps.meetings.deleteMeeting(caller, meeting.uuid).catch(() => undefined);
      throw err;
    }
  }

  /** `GET /sms/v1/messages/{id}`: its sender, or a planner/admin of its organisation. */
  async message(principal: Principal, id: string): Promise<SmsMessageDto> {
    const row = await this.deps.store.db.selectFrom('sms_messages').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('sms_not_found', 'Beskeden findes ikke.');
    const isSender = row.sender_subject === senderKey(principal);
    const orgPlanner = principal.organisation === row.organisation_code && principal.roles.some((r) => r === 'meeting-planner' || r === 'meeting-admin');
    if (!isSender && !orgPlanner) throw forbidden('sms_not_yours', 'Kun afsenderen og organisationens planlæggere kan se denne besked.');
    return toMessageDto(row);
  }

  /**
   * `POST /sms/v1/messages/{id}/resend`: the same text (the same personal link) to the same number
   * as a new message with its own status, while the meeting has not ended; the hourly limits count
   * it like any other. Who may see the message may resend it.
   */
  async resend(principal: Principal, id: string): Promise<SmsMessageDto> {
    await this.message(principal, id);
    const { store, clock } = this.deps;
    const now = clock.now();
    const original = await store.db.selectFrom('sms_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const link = await store.db.selectFrom('sms_links').select('expires_at').where('message_id', '=', id).executeTakeFirst();
    if (link && link.expires_at <= now.toISOString()) throw new HttpError(410, 'meeting_ended', 'Mødet er slut, så beskeden kan ikke sendes igen.');
    const who = { sender: senderKey(principal), organisation: original.organisation_code };
    const [row] = await store.db.transaction().execute(async (trx) => {
      await assertWithinSmsLimits(trx, this.deps.limits, who, 1, now);
      const fresh = await enqueueSms(
        trx,
        [
          {
            organisation: original.organisation_code,
            senderSubject: who.sender,
            senderEmail: principal.email ?? null,
            meetingUuid: original.meeting_uuid,
            phone: original.phone,
            recipientName: original.recipient_name,
            senderName: original.sender_name,
            text: original.text,
          },
        ],
        now,
      );
      // The personal link now belongs to the newest message about it (status, resend).
      await trx.updateTable('sms_links').set({ message_id: fresh[0]!.id }).where('message_id', '=', id).execute();
      return fresh;
    });
    this.deps.queued();
    return toMessageDto(row!);
  }

  async #createMeeting(caller: ReturnType<typeof bookingCaller>, now: Date, end: Date): Promise<MeetingDto> {
    const input = CreateMeeting.parse({
      subject: 'Video via SMS',
      startTime: formatVdxTime(now),
      endTime: formatVdxTime(end),
      meetingType: 'POOL',
    });
    try {
      return await this.deps.meetings.createMeeting(caller, input);
    } catch (err) {
      if (err instanceof HttpError && err.code === 'ad_hoc_not_allowed') {
        throw badRequest('ad_hoc_not_allowed', 'Din organisation har ikke adgang til ad hoc-møder, så der kan ikke startes video via SMS.', { vdxCode: 19 });
      }
      if (err instanceof HttpError && err.code === 'no_unused_scheduling_info') {
        throw new HttpError(409, 'no_free_meeting_room', 'Der er ingen ledige mødelokaler i organisationens pulje lige nu. Prøv igen om lidt.', { vdxCode: 20 });
      }
      throw err;
    }
  }
}

/**
 * Who "the sender" is, for access to a message and for the hourly limit: the person the token acts
 * as (its e-mail, as the booking API's organiser rule has it — a person's own token, or a booking
 * system's token on a user's behalf), else the API client itself. An API client could name many
 * e-mails; the organisation's limit caps it all the same.
 */
export function senderKey(principal: Principal): string {
  return principal.email ? `email:${principal.email.toLowerCase()}` : `client:${principal.subject}`;
}

/** A caller that may create meetings, as the booking API decides it (ROLES.writeMeetings). */
function meetingWriter(principal: Principal) {
  if (!principal.roles.some((r) => (ROLES.writeMeetings as readonly string[]).includes(r))) {
    throw forbidden('meeting_role_required', 'Du har ikke ret til at oprette møder, og kan derfor ikke sende video via SMS.');
  }
  if (!principal.organisation) throw unauthorized('organisation_missing', 'Adgangsbilletten nævner ingen organisation.');
  try {
    return bookingCaller(principal);
  } catch {
    throw unauthorized('email_missing', 'Adgangsbilletten mangler brugerens e-mail.');
  }
}

interface ParsedRecipient {
  e164: string;
  name?: string;
}

/** Every number parsed before anything else happens; the first bad one is the answer. */
function parseRecipients(list: SendSmsMeetingRequest['recipients']): ParsedRecipient[] {
  const seen = new Map<string, string>();
  return list.map((r) => {
    const parsed = parseMobileNumber(r.phone);
    if (!parsed.ok) throw badRequest('invalid_phone', phoneRejectionMessage(parsed.reason), { phone: r.phone, reason: parsed.reason });
    const earlier = seen.get(parsed.e164);
    if (earlier !== undefined) {
      throw badRequest('duplicate_phone', 'Det samme nummer står der flere gange. Fjern det ene.', { phone: r.phone, sameAs: earlier });
    }
    seen.set(parsed.e164, r.phone);
    return { e164: parsed.e164, ...(r.name ? { name: r.name } : {}) };
  });
}

function invitationText(message: string | undefined, name: string | undefined, link: string): string {
  const intro = message ?? `${name ? `Hej ${name}. ` : ''}Du er inviteret til et videomøde, som starter nu. Tryk på linket for at deltage:`;
  return `${intro}\n${link}`;
}

export function toMessageDto(row: Selectable<SmsMessageTable>): SmsMessageDto {
  const seg = smsSegments(row.text);
  return {
    id: row.id,
    phone: row.phone,
    name: row.recipient_name,
    status: row.status,
    reason: row.failure_reason,
    meetingUuid: row.meeting_uuid,
    attempts: row.attempts,
    segments: { encoding: seg.encoding, count: seg.segments },
    createdAt: row.created_at,
    sentAt: row.sent_at,
    deliveredAt: row.delivered_at,
  };
}
