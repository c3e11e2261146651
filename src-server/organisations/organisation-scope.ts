import type { FastifyRequest } from 'fastify';
import { principal as principalOf } from '../auth/authenticate';
import type { Principal } from '../auth/principal';
import type { Store } from '../db/database';
import { forbidden, type HttpError } from '../http/errors';
import { organisationSubtree } from './organisations.service';

/**
 * What a management admin may see and change: the subtree rooted at its own organisation
 * (docs/decisions/0011). Outside it an entity behaves as if it did not exist.
 */
export interface OrganisationScope {
  /** The admin's own organisation, the top of its subtree. */
  readonly organisation: string;
  /**
   * The national root (the bootstrap organisation): every organisation is in scope, lists are not
   * filtered. Parentless organisations created beside it count as hanging under it.
   */
  readonly global: boolean;
  /** The codes in scope, the own organisation first; `undefined` when global (no filter needed). */
  readonly codes: readonly string[] | undefined;
  has(code: string): boolean;
}

/** 403 for a write that would put an entity into (or move one to) an organisation outside the scope. */
export function organisationOutOfScope(code: string): HttpError {
  return forbidden('organisation_out_of_scope', `Organisation "${code}" is outside your organisation's subtree`);
}

/**
 * Computes scopes, once per request: the cache is keyed by the request object (not the principal,
 * which the token verifier caches per token), so a changed tree is seen by the next request.
 */
export class OrganisationScopes {
  readonly #cache = new WeakMap<FastifyRequest, Promise<OrganisationScope>>();

  constructor(
    private readonly store: Store,
    /** The bootstrap organisation: its admins are national and see everything. */
    private readonly nationalRoot: string,
  ) {}

  /** The scope of an authenticated request (after its `requireAuth` pre-handler). */
  ofRequest(request: FastifyRequest): Promise<OrganisationScope> {
    let scope = this.#cache.get(request);
    if (!scope) {
      scope = this.of(principalOf(request));
      this.#cache.set(request, scope);
    }
    return scope;
  }

  /** The scope of a principal, computed now (uncached). */
  of(principal: Principal): Promise<OrganisationScope> {
    return this.#compute(principal.organisation);
  }

  /** Throws 403 `organisation_out_of_scope` unless `code` is in the request's scope. */
  async requireWritable(request: FastifyRequest, code: string): Promise<OrganisationScope> {
    const scope = await this.ofRequest(request);
    if (!scope.has(code)) throw organisationOutOfScope(code);
    return scope;
  }

  /**
   * For writes that act on every organisation at once (releases, signing keys, the conference
   * node's fixed VMRs): throws 403 `organisation_out_of_scope` unless the caller is national.
   */
  async requireNational(request: FastifyRequest): Promise<void> {
    const scope = await this.ofRequest(request);
    if (!scope.global) {
      throw forbidden('organisation_out_of_scope', 'This acts on every organisation: only an administrator of the national root may do it');
    }
  }

  /**
   * A pre-handler (after `requireAuth`) for routes about one entity: looks up the organisation
   * owning `params[param]` (the lookup throws the entity's 404 for an unknown id) and answers that
   * same 404, from `hidden`, when it lies outside the caller's scope.
   */
  guard(
    ownerOf: (id: string) => Promise<string>,
    hidden: (id: string) => HttpError,
    param = 'id',
  ): (request: FastifyRequest) => Promise<void> {
    return async (request) => {
      const scope = await this.ofRequest(request);
      if (scope.global) return;
      const id = (request.params as Record<string, string>)[param]!;
      if (!scope.has(await ownerOf(id))) throw hidden(id);
    };
  }

  async #compute(organisation: string): Promise<OrganisationScope> {
    if (organisation === this.nationalRoot) {
      return { organisation, global: true, codes: undefined, has: () => true };
    }
    const codes = await organisationSubtree(this.store.db, organisation);
    const set = new Set(codes);
    return { organisation, global: false, codes, has: (code) => set.has(code) };
  }
}
