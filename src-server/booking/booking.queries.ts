import { sql, type Insertable } from 'kysely';
import { preparedQuery } from '../db/prepared-query';
import type { MeetingTable, SchedulingInfoTable } from './booking.tables';

/**
 * The queries every booking or meeting read runs, compiled once (src-server/db/prepared-query.ts,
 * docs/decisions/0016). The rest of booking builds its queries with Kysely as usual.
 */
export const bookingQueries = {
  /**
   * An organisation with what a booking needs of it in the same look-up: its parent (for the walks
   * up the tree to a pool or a default template) and its own default template, if any.
   */
  organisation: preparedQuery((db, p: { code: string }) =>
    db
      .selectFrom('organisations as o')
      .leftJoin('booking_templates as t', (join) => join.onRef('t.organisation_code', '=', 'o.code').on('t.is_default', '=', 1))
      .select(['o.code', 'o.pool_size', 'o.allow_custom_uri_without_domain', 'o.allow_ad_hoc_meetings', 'o.parent_code', 't.id as template_id', 't.body as template_body'])
      .where('o.code', '=', p.code)
      .orderBy('t.id')
      .limit(sql.lit(1)),
  ),
  meeting: preparedQuery((db, p: { uuid: string }) => db.selectFrom('booking_meetings').selectAll().where('uuid', '=', p.uuid)),
  templateById: preparedQuery((db, p: { id: number }) => db.selectFrom('booking_templates').selectAll().where('id', '=', p.id)),
  // Limits are written into the SQL: with `limit ?` SQLite takes three to four times as long for
  // such a query (measured with better-sqlite3 alone; it was the costliest select of a booking).
  defaultTemplate: preparedQuery((db, p: { organisation: string }) =>
    db.selectFrom('booking_templates').selectAll().where('organisation_code', '=', p.organisation).where('is_default', '=', 1).orderBy('id').limit(sql.lit(1)),
  ),
  infoByUri: preparedQuery((db, p: { uri: string; withoutDomain: string; domain: string }) =>
    db
      .selectFrom('booking_scheduling_infos')
      .select('uuid')
      .where((eb) => eb.or([eb('uri_with_domain', '=', p.uri), eb.and([eb('uri_domain', '=', p.domain), eb('uri_without_domain', '=', p.withoutDomain)])]))
      .limit(sql.lit(1)),
  ),
  insertMeeting: preparedQuery((db, p: { row: Insertable<MeetingTable> }) => db.insertInto('booking_meetings').values(p.row)),
  /**
   * PostgreSQL: a new meeting, its labels (from the meeting's `labels` JSON) and its new scheduling
   * info in one statement. Its data-modifying CTEs are one atomic step, foreign keys checked at its
   * end: one round trip instead of five with BEGIN and COMMIT.
   */
  insertNewMeetingPostgres: preparedQuery((db, p: { meeting: Insertable<MeetingTable>; info: Insertable<SchedulingInfoTable> }) =>
    db
      .with('m', (q) => q.insertInto('booking_meetings').values(p.meeting).returning(['uuid', 'labels']))
      .with('l', (q) =>
        q
          .insertInto('booking_meeting_labels')
          .columns(['meeting_uuid', 'label'])
          .expression(sql`select m.uuid, j.value from m, json_array_elements_text(m.labels::json) as j(value)`),
      )
      .insertInto('booking_scheduling_infos')
      .values(p.info),
  ),
  /** SQLite: the labels of a new meeting, from its `labels` JSON (one statement whatever their number). */
  insertLabelsOfSqlite: preparedQuery((db, p: { uuid: string; labels: string }) =>
    db.insertInto('booking_meeting_labels').columns(['meeting_uuid', 'label']).expression(sql`select ${p.uuid}, value from json_each(${p.labels})`),
  ),
  insertLabels: preparedQuery((db, p: { rows: { meeting_uuid: string; label: string }[] }) => db.insertInto('booking_meeting_labels').values(p.rows)),
  insertInfo: preparedQuery((db, p: { row: Insertable<SchedulingInfoTable> }) => db.insertInto('booking_scheduling_infos').values(p.row)),
};
