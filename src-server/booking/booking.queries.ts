import type { Insertable } from 'kysely';
import { preparedQuery } from '../db/prepared-query';
import type { MeetingTable, SchedulingInfoTable } from './booking.tables';

/**
 * The queries every booking or meeting read runs, compiled once (src-server/db/prepared-query.ts,
 * docs/decisions/0014). The rest of booking builds its queries with Kysely as usual.
 */
export const bookingQueries = {
  organisation: preparedQuery((db, p: { code: string }) =>
    db.selectFrom('organisations').select(['code', 'pool_size', 'allow_custom_uri_without_domain', 'allow_ad_hoc_meetings']).where('code', '=', p.code),
  ),
  meeting: preparedQuery((db, p: { uuid: string }) => db.selectFrom('booking_meetings').selectAll().where('uuid', '=', p.uuid)),
  templateById: preparedQuery((db, p: { id: number }) => db.selectFrom('booking_templates').selectAll().where('id', '=', p.id)),
  defaultTemplate: preparedQuery((db, p: { organisation: string }) =>
    db.selectFrom('booking_templates').selectAll().where('organisation_code', '=', p.organisation).where('is_default', '=', 1).orderBy('id').limit(1),
  ),
  infoByUri: preparedQuery((db, p: { uri: string; withoutDomain: string; domain: string }) =>
    db
      .selectFrom('booking_scheduling_infos')
      .select('uuid')
      .where((eb) => eb.or([eb('uri_with_domain', '=', p.uri), eb.and([eb('uri_domain', '=', p.domain), eb('uri_without_domain', '=', p.withoutDomain)])]))
      .limit(1),
  ),
  insertMeeting: preparedQuery((db, p: { row: Insertable<MeetingTable> }) => db.insertInto('booking_meetings').values(p.row)),
  insertLabels: preparedQuery((db, p: { rows: { meeting_uuid: string; label: string }[] }) => db.insertInto('booking_meeting_labels').values(p.rows)),
  insertInfo: preparedQuery((db, p: { row: Insertable<SchedulingInfoTable> }) => db.insertInto('booking_scheduling_infos').values(p.row)),
};
