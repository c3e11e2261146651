/**
 * The part of `oidc-provider` 9 this server uses. The package ships no types (and
 * `@types/oidc-provider` lags its majors), so what we call is declared here, checked against
 * its documentation and source for 9.13; configuration stays loosely typed on purpose.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface AdapterPayload {
    [key: string]: unknown;
    grantId?: string;
    /** Sessions, grants, codes and tokens: the person they belong to. */
    accountId?: string;
    uid?: string;
    userCode?: string;
    consumed?: number;
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface InteractionDetails {
    uid: string;
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    params: Record<string, unknown> & { client_id?: string; ui_locales?: string; login_hint?: string };
    session?: { accountId?: string; uid?: string };
    grantId?: string;
    lastSubmission?: Record<string, unknown>;
    returnTo: string;
  }

  export interface Grant {
    readonly jti: string;
    addOIDCScope(scope: string): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export interface ClientMetadata {
    client_id: string;
    [key: string]: unknown;
  }

  /** What a Koa context looks like to our configuration hooks (only what we read). */
  export interface KoaContextWithOIDC {
    oidc: {
      client?: { clientId: string; applicationType?: string };
      session?: { accountId?: string; grantIdFor(clientId: string): string | undefined };
      /** The session's account as `findAccount` found it (set before the interaction checks). */
      account?: { accountId: string };
      result?: { consent?: { grantId?: string }; login?: { accountId: string } };
      provider: Provider;
      route?: string;
    };
    [key: string]: unknown;
  }

  export interface KoaMiddlewareContext {
    path: string;
    method: string;
    status: number;
    body: unknown;
    set(name: string, value: string): void;
  }

  export interface Configuration {
    [key: string]: unknown;
  }

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    proxy: boolean;
    readonly issuer: string;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionResult(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<string>;
    on(event: string, listener: (...args: unknown[]) => void): this;
    /** Koa middleware around the provider's own (before `next()` and after it). */
    use(middleware: (ctx: KoaMiddlewareContext, next: () => Promise<void>) => Promise<void>): void;
    Grant: {
      new (properties: { accountId: string; clientId: string }): Grant;
      find(id: string): Promise<Grant | undefined>;
    };
  }

  /** A reason to show an interaction (`interactionPolicy.Check`): `check` answers whether to prompt. */
  export class InteractionCheck {
    /** `error` is what `prompt=none` answers; a check added after its prompt was built must name it. */
    constructor(reason: string, description: string, error: string, check: (ctx: KoaContextWithOIDC) => boolean | Promise<boolean>);
    static readonly REQUEST_PROMPT: true;
    static readonly NO_NEED_TO_PROMPT: false;
  }

  export interface InteractionPrompt {
    readonly name: string;
    readonly checks: InteractionCheck[] & { add(check: InteractionCheck, index?: number): void; remove(reason: string): void };
  }

  export const interactionPolicy: {
    /** The default prompts (`login`, then `consent`), to adjust and pass as `interactions.policy`. */
    base(): InteractionPrompt[] & { get(name: string): InteractionPrompt | undefined };
    Check: typeof InteractionCheck;
  };

  export default Provider;
}
