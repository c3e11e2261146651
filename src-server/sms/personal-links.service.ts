import type { Clock } from '../../src-shared/platform/clock';
import type { PersonalLink } from '../../src-shared/join/join-meeting.schema';
import type { Store } from '../db/database';
import { HttpError, notFound } from '../http/errors';
import { hashPersonalToken, isPersonalTokenShape } from './personal-link';

/** Whom a personal link admits to a conference: the role and the name, never a PIN. */
export interface PersonalAdmission {
  role: 'HOST' | 'GUEST';
  displayName: string;
}

/** Finds a meeting for the guest page by short id (`bookingJoinMeetingLookup`). */
export type MeetingByShortId = (shortId: string) => Promise<Omit<PersonalLink, 'shortId' | 'displayName' | 'role'> | undefined>;

/**
 * Personal links, looked up by the SHA-256 of their token (sms_links). A link admits its holder
 * to its own meeting only, as the role and name it was made for, until the meeting's end: after
 * that it is dead (410 on the page; refused by the node).
 */
export class PersonalLinks {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** The conference node's question: may this token's holder join `alias`, and as whom? */
  async admit(alias: string, token: string): Promise<PersonalAdmission | undefined> {
    if (!isPersonalTokenShape(token)) return undefined;
    const row = await this.store.db
      .selectFrom('sms_links as l')
      .innerJoin('booking_scheduling_infos as s', 's.meeting_uuid', 'l.meeting_uuid')
      .select(['l.role', 'l.display_name', 'l.expires_at', 's.uri_with_domain'])
      .where('l.token_hash', '=', hashPersonalToken(token))
      .executeTakeFirst();
    if (!row || row.uri_with_domain !== alias || row.expires_at <= this.clock.now().toISOString()) return undefined;
    return { role: row.role === 'host' ? 'HOST' : 'GUEST', displayName: row.display_name };
  }

  /** The guest page's question: which meeting is this link for, and under what name? */
  async lookup(token: string, meetingByShortId: MeetingByShortId): Promise<PersonalLink> {
    const row = await this.store.db
      .selectFrom('sms_links as l')
      .innerJoin('booking_meetings as m', 'm.uuid', 'l.meeting_uuid')
      .select(['l.role', 'l.display_name', 'l.expires_at', 'm.short_id'])
      .where('l.token_hash', '=', hashPersonalToken(token))
      .executeTakeFirst();
    if (!row) throw notFound('link_not_found', 'Linket findes ikke. Tjek, at du har åbnet hele linket fra beskeden.');
    if (row.expires_at <= this.clock.now().toISOString()) throw new HttpError(410, 'link_expired', 'Mødet er slut, og linket virker ikke længere.');
    const meeting = await meetingByShortId(row.short_id);
    if (!meeting) throw notFound('link_not_found', 'Linket findes ikke. Tjek, at du har åbnet hele linket fra beskeden.');
    return { ...meeting, shortId: row.short_id, displayName: row.display_name, role: row.role };
  }
}
