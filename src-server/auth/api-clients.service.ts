import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { ApiClient, ApiClientKind } from '../../src-shared/auth/api-clients.schema';
import type { Scope, VdxRole } from '../../src-shared/auth/roles';
import type { Clock } from '../../src-shared/platform/clock';
import type { Store } from '../db/database';
import type { Database } from '../db/schema';
import { conflict, notFound } from '../http/errors';
import type { ApiClientTable } from './auth.tables';
import { decoyHash, generateClientSecret, hashClientSecret, verifyClientSecret } from './client-secrets';
import { preparedQuery } from '../db/prepared-query';

/** Asked on every authenticated request (revocation takes effect at once), so compiled once. */
const clientRevokedAt = preparedQuery((db, p: { clientId: string }) =>
  db.selectFrom('api_clients').select('revoked_at').where('client_id', '=', p.clientId),
);

/** A database handle or an open transaction (pass the transaction to make a change part of it). */
type Db = Kysely<Database>;

export interface NewApiClient {
  kind: ApiClientKind;
  name: string;
  /** Organisation code; must exist. */
  organisation: string;
  email?: string | null;
  roles: readonly VdxRole[];
  managementAdmin: boolean;
  scopes: readonly Scope[];
  /** Required for `kind: 'device'`; the `vdx:device_id` claim of its tokens. */
  deviceId?: string;
  /** Bootstrap only (operator-chosen id and secret from the environment); otherwise generated. */
  clientId?: string;
  clientSecret?: string;
  /** A secret hashed before the caller opened its transaction (see `prepareSecret`). */
  preparedSecret?: PreparedSecret;
}

/** A new secret and its hash, made outside any transaction. */
export interface PreparedSecret {
  clientSecret: string;
  secretHash: string;
}

export interface ApiClientUpdate {
  name?: string;
  email?: string | null;
  roles?: readonly VdxRole[];
  managementAdmin?: boolean;
  scopes?: readonly Scope[];
}

/** A client and its secret, returned once at creation or rotation. */
export interface ApiClientCredentials {
  client: ApiClient;
  clientSecret: string;
}

export interface ApiClientFilter {
  organisation?: string;
  /** An admin's organisation scope (an empty list matches nothing). */
  organisations?: readonly string[];
  kind?: ApiClientKind;
  deviceId?: string;
  includeRevoked?: boolean;
}

/** The 404 of an unknown client; also what an admin gets for a client outside its organisation scope. */
export const apiClientNotFound = (clientId: string) => notFound('api_client_not_found', `No API client "${clientId}"`);

/**
 * The OAuth2 clients: external systems, automation, the portal, and enrolled room devices.
 *
 * Every method that writes takes an optional `db`: pass an open transaction to make the change
 * part of a larger one (an enrolment, an audited management write). Hashing a secret takes tens
 * of milliseconds of scrypt; to keep that out of a transaction (on SQLite a transaction holds the
 * one connection), call `prepareSecret()` first and pass the result in.
 */
export class ApiClients {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** A fresh secret (256 bits, base64url) with its hash, for `create`/`rotateSecret` inside a transaction. */
  async prepareSecret(clientSecret: string = generateClientSecret()): Promise<PreparedSecret> {
    return { clientSecret, secretHash: await hashClientSecret(clientSecret) };
  }

  async create(input: NewApiClient, db: Db = this.store.db): Promise<ApiClientCredentials> {
    if (input.kind === 'device' && !input.deviceId) throw new Error('a device client needs its deviceId');
    const { clientSecret, secretHash } = input.preparedSecret ?? (await this.prepareSecret(input.clientSecret));
    const now = this.clock.now().toISOString();
    const row: Selectable<ApiClientTable> = {
      client_id: input.clientId ?? randomUUID(),
      kind: input.kind,
      name: input.name,
      organisation_code: input.organisation,
      email: input.email ?? null,
      roles: JSON.stringify(unique(input.roles)),
      management_admin: input.managementAdmin ? 1 : 0,
      scopes: JSON.stringify(unique(input.scopes)),
      secret_hash: secretHash,
      device_id: input.deviceId ?? null,
      created_at: now,
      updated_at: now,
      revoked_at: null,
    };
    await db.insertInto('api_clients').values(row).execute();
    return { client: toApiClient(row), clientSecret };
  }

  /**
   * The client whose id and secret these are, or null (unknown id, wrong secret, revoked). Always
   * spends one scrypt computation, so timing does not tell unknown ids from wrong secrets.
   */
  async authenticate(clientId: string, secret: string): Promise<ApiClient | null> {
    const row = await this.store.db
      .selectFrom('api_clients')
      .selectAll()
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    const ok = await verifyClientSecret(secret, row?.secret_hash ?? (await decoyHash()));
    if (!row || !ok || row.revoked_at !== null) return null;
    return toApiClient(row);
  }

  /** Replaces the secret; the old one stops working at once (tokens already issued stay valid). */
  async rotateSecret(clientId: string, db: Db = this.store.db, prepared?: PreparedSecret): Promise<ApiClientCredentials> {
    await this.requireActive(clientId, db);
    const { clientSecret, secretHash } = prepared ?? (await this.prepareSecret());
    await db
      .updateTable('api_clients')
      .set({ secret_hash: secretHash, updated_at: this.clock.now().toISOString() })
      .where('client_id', '=', clientId)
      .execute();
    return { client: await this.require(clientId, db), clientSecret };
  }

  /**
   * Revokes the client: no new tokens, and its existing tokens are refused from the next request
   * on (AccessTokens asks `isActive` on every verification). Revoking twice is harmless.
   */
  async revoke(clientId: string, db: Db = this.store.db): Promise<ApiClient> {
    const before = await this.require(clientId, db);
    if (before.revokedAt) return before;
    const now = this.clock.now().toISOString();
    await db
      .updateTable('api_clients')
      .set({ revoked_at: now, updated_at: now })
      .where('client_id', '=', clientId)
      .execute();
    return this.require(clientId, db);
  }

  /** Revokes every still-active client of a device (device removed or re-enrolled); returns their ids. */
  async revokeByDevice(deviceId: string, db: Db = this.store.db): Promise<string[]> {
    const rows = await db
      .selectFrom('api_clients')
      .select('client_id')
      .where('device_id', '=', deviceId)
      .where('revoked_at', 'is', null)
      .execute();
    if (rows.length === 0) return [];
    const now = this.clock.now().toISOString();
    await db
      .updateTable('api_clients')
      .set({ revoked_at: now, updated_at: now })
      .where('device_id', '=', deviceId)
      .where('revoked_at', 'is', null)
      .execute();
    return rows.map((r) => r.client_id);
  }

  /** True while the client exists and is not revoked. Uncached on purpose: revocation is immediate. */
  async isActive(clientId: string): Promise<boolean> {
    const row = await clientRevokedAt.first(this.store.db, { clientId });
    return row !== undefined && row.revoked_at === null;
  }

  async get(clientId: string, db: Db = this.store.db): Promise<ApiClient | undefined> {
    const row = await db.selectFrom('api_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    return row ? toApiClient(row) : undefined;
  }

  /** Clients, oldest first; active ones only unless `includeRevoked`. */
  async list(filter: ApiClientFilter = {}, db: Db = this.store.db): Promise<ApiClient[]> {
    let query = db.selectFrom('api_clients').selectAll();
    if (filter.organisation) query = query.where('organisation_code', '=', filter.organisation);
    if (filter.organisations) {
      if (filter.organisations.length === 0) return [];
      query = query.where('organisation_code', 'in', filter.organisations);
    }
    if (filter.kind) query = query.where('kind', '=', filter.kind);
    if (filter.deviceId) query = query.where('device_id', '=', filter.deviceId);
    if (!filter.includeRevoked) query = query.where('revoked_at', 'is', null);
    const rows = await query.orderBy('created_at').orderBy('client_id').execute();
    return rows.map(toApiClient);
  }

  /** Changes what the client's *future* tokens carry; tokens already issued keep their claims. */
  async update(clientId: string, patch: ApiClientUpdate, db: Db = this.store.db): Promise<ApiClient> {
    await this.requireActive(clientId, db);
    await db
      .updateTable('api_clients')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.email !== undefined ? { email: patch.email } : {}),
        ...(patch.roles !== undefined ? { roles: JSON.stringify(unique(patch.roles)) } : {}),
        ...(patch.managementAdmin !== undefined ? { management_admin: patch.managementAdmin ? 1 : 0 } : {}),
        ...(patch.scopes !== undefined ? { scopes: JSON.stringify(unique(patch.scopes)) } : {}),
        updated_at: this.clock.now().toISOString(),
      })
      .where('client_id', '=', clientId)
      .execute();
    return this.require(clientId, db);
  }

  async updateRoles(
    clientId: string,
    roles: readonly VdxRole[],
    managementAdmin?: boolean,
    db: Db = this.store.db,
  ): Promise<ApiClient> {
    return this.update(clientId, { roles, ...(managementAdmin !== undefined ? { managementAdmin } : {}) }, db);
  }

  private async require(clientId: string, db: Db): Promise<ApiClient> {
    const client = await this.get(clientId, db);
    if (!client) throw apiClientNotFound(clientId);
    return client;
  }

  private async requireActive(clientId: string, db: Db): Promise<ApiClient> {
    const client = await this.require(clientId, db);
    if (client.revokedAt) throw conflict('api_client_revoked', 'This API client has been revoked');
    return client;
  }
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function toApiClient(row: Selectable<ApiClientTable>): ApiClient {
  return {
    clientId: row.client_id,
    kind: row.kind,
    name: row.name,
    organisation: row.organisation_code,
    email: row.email,
    roles: JSON.parse(row.roles) as VdxRole[],
    managementAdmin: row.management_admin === 1,
    scopes: JSON.parse(row.scopes) as Scope[],
    deviceId: row.device_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    revokedAt: row.revoked_at,
  };
}
