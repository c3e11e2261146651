import type { AuthTables } from '../auth/auth.tables';

/** The whole database as Kysely sees it: the union of every capability's tables. */
export interface Database extends AuthTables {}
