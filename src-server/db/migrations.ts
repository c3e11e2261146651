import type { Migration } from 'kysely';
import { authMigration } from '../auth/auth.migration';

/**
 * Every schema change, in order. Each capability owns its migration file; this list is the
 * one place that orders them. Names sort by their number; never rename or edit a migration
 * that has shipped — add a new one.
 */
export const migrations: Record<string, Migration> = {
  '0100-auth': authMigration,
};
