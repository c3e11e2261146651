import { ALL_VDX_ROLES, Scope } from '../../src-shared/auth/roles';
import type { Clock } from '../../src-shared/platform/clock';
import type { ServerConfig } from '../config/config';
import type { Store } from '../db/database';
import { ensureOrganisation } from '../organisations/organisations.service';
import type { ApiClients } from './api-clients.service';

/**
 * Start-up: makes sure the bootstrap organisation exists and, when `VDX_ADMIN_CLIENT_ID/SECRET`
 * are set, that the admin client exists (all five meeting roles, management-admin, every scope).
 *
 * An existing admin client is left exactly as it is — changing the secret in the environment does
 * not reset it (use rotate-secret), so a restart can never silently re-grant a revoked client.
 * Safe to run concurrently from several instances.
 */
export async function bootstrapIdentity(deps: {
  config: ServerConfig;
  store: Store;
  clock: Clock;
  apiClients: ApiClients;
}): Promise<void> {
  const { config, store, clock, apiClients } = deps;
  await ensureOrganisation(store.db, clock, config.bootstrapOrganisation, config.bootstrapOrganisation, { allowAdHocMeetings: true });
  const admin = config.adminClient;
  if (!admin || (await apiClients.get(admin.clientId))) return;
  try {
    await apiClients.create({
      kind: 'system',
      name: 'Bootstrap administrator',
      organisation: config.bootstrapOrganisation,
      email: config.adminEmail,
      roles: ALL_VDX_ROLES,
      managementAdmin: true,
      scopes: Scope.options,
      clientId: admin.clientId,
      clientSecret: admin.clientSecret,
    });
  } catch (err) {
    // Another instance created it between our check and insert: that is the outcome we wanted.
    if (!(await apiClients.get(admin.clientId))) throw err;
  }
}
