import type { Kysely, Migration } from 'kysely';

/**
 * 0106: a password reset ends the person's sign-ins everywhere.
 * - `oidc_payloads.account_id`: the person a provider row (session, grant, code, refresh token)
 *   belongs to, so all of them can be found and ended without reading every payload's JSON.
 *   Rows written before this migration get it from their payload here.
 * - `staff_users.tokens_valid_from`: access tokens (JWTs, valid up to their expiry by signature
 *   alone) issued before this second are refused; set when the person's sign-ins are ended.
 */
export const identityAccountRowsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('oidc_payloads').addColumn('account_id', 'text').execute();
    await db.schema.createIndex('oidc_payloads_account').on('oidc_payloads').column('account_id').execute();
    await db.schema.alterTable('staff_users').addColumn('tokens_valid_from', 'text').execute();

    const typed = db as Kysely<{ oidc_payloads: { model: string; id: string; payload: string; account_id: string | null } }>;
    const rows = await typed.selectFrom('oidc_payloads').select(['model', 'id', 'payload']).execute();
    for (const row of rows) {
      const accountId = accountOf(row.payload);
      if (accountId) await typed.updateTable('oidc_payloads').set({ account_id: accountId }).where('model', '=', row.model).where('id', '=', row.id).execute();
    }
  },
};

function accountOf(payload: string): string | undefined {
  try {
    const parsed = JSON.parse(payload) as { accountId?: unknown };
    return typeof parsed.accountId === 'string' ? parsed.accountId : undefined;
  } catch {
    return undefined;
  }
}
