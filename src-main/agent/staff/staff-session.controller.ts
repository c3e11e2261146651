/**
 * The desktop's staff session (decision 0017): a clinician signs in once in the system browser,
 * and from then on this controller holds their identity — the refresh token in the OS keychain
 * (the {@link SecretStore}), the access token in memory only, renewed before it expires. It
 * serves the `staff:*` bridge methods: sign in, sign out, the session state, the person's
 * meetings today and joining one as host. Nothing secret reaches the UI except the host PIN
 * inside the join command (the conference node needs it from the renderer, as for rooms).
 *
 * State diagram: `StaffSession` in src-shared/ipc/room-bridge.contract.ts. One state, one setter
 * ({@link #set}); each change goes out in the app snapshot (`app:state-changed`) through the
 * composition root's `changed` hook, which also moves the agent state (signed_out ⇄ ready).
 */
import { z } from 'zod';
import type { CallCommand, RoomInfo, StaffMeetings, StaffPerson, StaffSession } from '../../../src-shared/ipc/room-bridge.contract';
import { StaffPerson as StaffPersonSchema } from '../../../src-shared/ipc/room-bridge.contract';
import { AgentError, type BridgeHandlers } from '../bridge/agent-handlers';
import type { CallTarget } from '../calls/calls.controller';
import type { ExternalBrowser, HttpFetch, SecretStore } from '../platform/platform';
import type { AgentContext } from '../runtime/agent-context';
import { storedValue } from '../runtime/stored-value';
import { listenForRedirect, type LoopbackRedirect } from './loopback-redirect';
import { StaffOidcClient, StaffOidcError, type StaffTokens } from './staff-oidc.client';
import { hostAccess, meetingsToday, type BookingGet } from './staff-meetings';

/** Keychain entry of the person's refresh token. */
export const REFRESH_TOKEN_KEY = 'staff-refresh-token';
/** A sign-in the browser never finished is abandoned after this long. */
export const SIGN_IN_TIMEOUT_MS = 10 * 60_000;
/** Renew this long before the access token expires (or at four fifths of its life, if shorter). */
export const RENEW_BEFORE_MS = 60_000;
/** While the server does not answer, try again this often. */
export const UNREACHABLE_RETRY_MS = 15_000;
const REQUEST_TIMEOUT_MS = 15_000;

/** Who is signed in, and at which server (settings key `staffSession`; not secret). */
const StoredSession = z.object({ serverUrl: z.string(), person: StaffPersonSchema });

export interface StaffSessionOptions {
  fetch: HttpFetch;
  secrets: SecretStore;
  browser: ExternalBrowser | null;
  /** The server people sign in at (`VDX_SERVER_URL`); null: signing in is impossible. */
  serverUrl: string | null;
  /** Desktop mode: the session exists at all (a kiosk has none). */
  enabled: boolean;
  /** The UI language, for the sign-in page and the page the browser comes back to. */
  locale(): 'da' | 'en';
  /** The session changed (the composition root re-announces the app state and moves the agent state). */
  changed(): void;
  /** Start a call (the calls controller's join). */
  join(target: CallTarget): Promise<CallCommand>;
  /** Leave a running call (signing out). */
  leaveCall(): void;
}

interface PendingSignIn {
  redirect: LoopbackRedirect;
}

const error = (code: 'offline' | 'signed_out' | 'sign_in_failed' | 'server_error', message: string) => ({ code, message });
const OFFLINE = error('offline', 'Serveren kan ikke nås. Prøv igen om lidt.');
const EXPIRED = error('signed_out', 'Din log-ind er udløbet. Log ind igen.');

export class StaffSessionController {
  #session: StaffSession = { kind: 'signed_out', lastError: null };
  #person: StaffPerson | null = null;
  #tokens: (StaffTokens & { renewAt: Date }) | null = null;
  #pending: PendingSignIn | null = null;
  #refreshing: Promise<void> | null = null;
  #retryAt = 0;
  readonly #stored;
  readonly #client: StaffOidcClient | null;

  constructor(
    private readonly ctx: AgentContext,
    private readonly o: StaffSessionOptions,
  ) {
    this.#stored = storedValue(ctx.settings, 'staffSession', StoredSession, null);
    this.#client = o.serverUrl ? new StaffOidcClient(o.serverUrl, o.fetch, () => ctx.clock.now()) : null;
  }

  /** The session for the app snapshot; null on a kiosk. */
  get state(): StaffSession | null {
    return this.o.enabled ? this.#session : null;
  }

  /** Whether the server answered the last time it was asked (for the app snapshot's `online`). */
  get online(): boolean {
    return this.#session.kind !== 'unreachable' && !(this.#session.kind === 'signed_out' && this.#session.lastError?.code === 'offline');
  }

  /** A signed-in person's desktop is their room: their name is what the others in a call see. */
  get room(): RoomInfo | null {
    const s = this.#session;
    if ((s.kind !== 'signed_in' && s.kind !== 'unreachable') || !this.o.serverUrl) return null;
    return {
      deviceId: 'desktop',
      roomId: s.person.email,
      roomName: s.person.name,
      organisation: s.person.organisation,
      theme: null,
      showSubjects: true,
      locale: this.o.locale(),
      conferenceBaseUrl: this.o.serverUrl,
    };
  }

  readonly handlers = {
    'staff:sign-in': async () => this.#signIn(),
    'staff:sign-out': async () => this.#signOut(),
    'staff:state': async () => this.#requireEnabled(),
    'staff:meetings-today': async (): Promise<StaffMeetings> => {
      this.#requireEnabled();
      const now = this.ctx.clock.now();
      const meetings = await this.#booking((get) => meetingsToday(get, now));
      return { meetings, fetchedAt: now.toISOString() };
    },
    'staff:join-as-host': async (request) => {
      this.#requireEnabled();
      const access = await this.#booking((get) => hostAccess(get, request.meetingId));
      if (!access) throw new AgentError('meeting_not_found', 'Mødet findes ikke (længere).');
      this.ctx.log.info('joining as host', { meetingId: access.meetingId, alias: access.alias });
      return this.o.join({
        info: { meetingId: access.meetingId, alias: access.alias, reason: 'manual', endTime: access.endTime || null },
        pin: access.hostPin,
        conferenceBaseUrl: this.o.serverUrl!,
      });
    },
  } satisfies Pick<BridgeHandlers, 'staff:sign-in' | 'staff:sign-out' | 'staff:state' | 'staff:meetings-today' | 'staff:join-as-host'>;

  /** Restores a stored sign-in (desktop mode): renews at once, so a sign-in that expired overnight shows as signed out. */
  async start(): Promise<void> {
    if (!this.o.enabled) return;
    const stored = this.#stored.get();
    const refreshToken = await this.o.secrets.get(REFRESH_TOKEN_KEY);
    if (!stored || !refreshToken || stored.serverUrl !== this.o.serverUrl) {
      if (stored || refreshToken) await this.#forget();
      this.#set({ kind: 'signed_out', lastError: null });
      return;
    }
    this.#person = stored.person;
    this.ctx.log.info('restoring the staff sign-in', { keyStore: this.o.secrets.kind });
    this.#set({ kind: 'unreachable', person: stored.person });
    await this.#renew().catch(() => undefined);
  }

  /** Abandons a sign-in the browser never finished; renews the access token when due; retries an unreachable server. */
  tick(now: Date): void {
    const s = this.#session;
    if (s.kind === 'signing_in' && now.getTime() - Date.parse(s.since) > SIGN_IN_TIMEOUT_MS) {
      this.#pending?.redirect.abort(new StaffOidcError('refused', 'timed out'));
      return;
    }
    const due =
      (s.kind === 'signed_in' && this.#tokens !== null && now >= this.#tokens.renewAt) ||
      (s.kind === 'unreachable' && now.getTime() >= this.#retryAt);
    if (due && !this.#refreshing) this.ctx.work.track(this.#renew().catch(() => undefined));
  }

  async #signIn(): Promise<StaffSession> {
    this.#requireEnabled();
    const client = this.#client;
    if (!client || !this.o.browser) throw new AgentError('invalid_request', 'Der er ikke angivet nogen server at logge ind på.');
    if (this.#session.kind === 'signed_in' || this.#session.kind === 'unreachable') return this.#session;
    // A second click while the browser is open: that tab was closed or lost; start afresh.
    this.#pending?.redirect.abort(new StaffOidcError('refused', 'superseded'));
    const lang = this.o.locale();
    const redirect = await listenForRedirect(lang);
    const pending: PendingSignIn = { redirect };
    this.#pending = pending;
    this.#set({ kind: 'signing_in', since: this.ctx.clock.now().toISOString() });
    const startedAt = Date.now();
    try {
      const request = await client.authorizationRequest(redirect.redirectUri, lang);
      await this.o.browser.open(request.url.href);
      const answer = await redirect.answer;
      const { tokens, person } = await client.redeem(request, answer);
      await this.#keep(tokens, person);
      redirect.finish('signed_in');
      this.ctx.log.info('signed in', { ms: Date.now() - startedAt, keyStore: this.o.secrets.kind });
      this.#set({ kind: 'signed_in', person });
      return this.#session;
    } catch (err) {
      redirect.finish('failed');
      if (this.#pending !== pending) throw new AgentError('sign_in_failed', 'Log-ind blev afbrudt.');
      const failure = err instanceof StaffOidcError && err.kind === 'offline' ? OFFLINE : err instanceof StaffOidcError && err.kind === 'server_error'
        ? error('server_error', 'Serveren svarede med en fejl. Prøv igen.')
        : error('sign_in_failed', 'Log-ind blev ikke gennemført. Prøv igen.');
      this.ctx.log.warn('sign-in failed', { code: failure.code, error: (err as Error).message });
      this.#set({ kind: 'signed_out', lastError: failure });
      throw new AgentError(failure.code, failure.message);
    } finally {
      if (this.#pending === pending) this.#pending = null;
    }
  }

  async #signOut(): Promise<StaffSession> {
    this.#requireEnabled();
    const pending = this.#pending;
    this.#pending = null;
    pending?.redirect.abort(new StaffOidcError('refused', 'signed out'));
    this.o.leaveCall();
    const refreshToken = await this.o.secrets.get(REFRESH_TOKEN_KEY);
    if (refreshToken && this.#client) {
      // Revoked at the server first, so a copy of the token (a backup of the keychain) is worthless;
      // an unreachable server does not keep the person signed in here.
      await this.#client.revoke(refreshToken).catch((err: unknown) => this.ctx.log.warn('could not revoke the refresh token at the server', { error: (err as Error).message }));
    }
    await this.#forget();
    this.ctx.log.info('signed out');
    this.#set({ kind: 'signed_out', lastError: null });
    return this.#session;
  }

  /** One refresh at a time: the refresh token rotates, and presenting a spent one ends the grant. */
  #renew(): Promise<void> {
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async #refresh(): Promise<void> {
    const refreshToken = await this.o.secrets.get(REFRESH_TOKEN_KEY);
    const person = this.#person;
    if (!refreshToken || !person || !this.#client) return this.#expired('no refresh token');
    try {
      const tokens = await this.#client.refresh(refreshToken);
      await this.#keep(tokens, person);
      if (this.#session.kind !== 'signed_in') this.#set({ kind: 'signed_in', person });
    } catch (err) {
      if (err instanceof StaffOidcError && err.kind === 'refused') return this.#expired(err.message);
      this.#retryAt = this.ctx.clock.now().getTime() + UNREACHABLE_RETRY_MS;
      if (this.#session.kind !== 'unreachable') {
        this.ctx.log.warn('server unreachable; the sign-in is kept and renewed when it answers', { code: 'offline', error: (err as Error).message });
        this.#set({ kind: 'unreachable', person });
      }
      throw new AgentError('offline', OFFLINE.message);
    }
  }

  async #expired(why: string): Promise<void> {
    this.ctx.log.warn('the staff sign-in ended (refresh refused)', { code: 'signed_out', error: why });
    await this.#forget();
    this.#set({ kind: 'signed_out', lastError: EXPIRED });
    throw new AgentError('signed_out', EXPIRED.message);
  }

  async #keep(tokens: StaffTokens, person: StaffPerson): Promise<void> {
    const now = this.ctx.clock.now().getTime();
    const life = tokens.expiresAt.getTime() - now;
    const renewAt = new Date(now + Math.min(life - RENEW_BEFORE_MS, (life * 4) / 5));
    this.#tokens = { ...tokens, renewAt };
    this.#person = person;
    if (tokens.refreshToken) await this.o.secrets.set(REFRESH_TOKEN_KEY, tokens.refreshToken);
    this.#stored.set({ serverUrl: this.o.serverUrl!, person });
  }

  async #forget(): Promise<void> {
    this.#tokens = null;
    this.#person = null;
    await this.o.secrets.delete(REFRESH_TOKEN_KEY);
    this.#stored.clear();
  }

  /** A valid access token: the one in memory, or a renewed one. */
  async #accessToken(): Promise<string> {
    const s = this.#session;
    if (s.kind !== 'signed_in' && s.kind !== 'unreachable') throw new AgentError('signed_out', 'Du er ikke logget ind.');
    if (!this.#tokens || this.ctx.clock.now() >= this.#tokens.renewAt) await this.#renew();
    return this.#tokens!.accessToken;
  }

  /** Runs booking reads with the person's token: one renewal and retry on 401, `offline` when nothing answers. */
  async #booking<T>(read: (get: BookingGet) => Promise<T>): Promise<T> {
    const get: BookingGet = async (path) => {
      for (let attempt = 0; ; attempt++) {
        const token = await this.#accessToken();
        let res: Response;
        try {
          res = await this.o.fetch(`${this.o.serverUrl}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        } catch {
          this.#unreachable();
          throw new AgentError('offline', OFFLINE.message);
        }
        if (res.status === 401 && attempt === 0) {
          this.#tokens = null; // renewed on the next round
          continue;
        }
        // Not there, or not the person's to see: either way not theirs to list or host.
        if (res.status === 404 || res.status === 403) return null;
        if (!res.ok) throw new AgentError('server_error', `Serveren svarede ${res.status}.`);
        return res.json();
      }
    };
    const result = await read(get);
    if (this.#session.kind === 'unreachable' && this.#person) this.#set({ kind: 'signed_in', person: this.#person });
    return result;
  }

  #unreachable(): void {
    if (this.#session.kind !== 'signed_in' || !this.#person) return;
    this.#retryAt = this.ctx.clock.now().getTime() + UNREACHABLE_RETRY_MS;
    this.ctx.log.warn('server unreachable (booking)', { code: 'offline' });
    this.#set({ kind: 'unreachable', person: this.#person });
  }

  #requireEnabled(): StaffSession {
    if (!this.o.enabled) throw new AgentError('invalid_request', 'Log-ind for personale findes kun i skrivebordsudgaven.');
    return this.#session;
  }

  #set(session: StaffSession): void {
    this.#session = session;
    this.o.changed();
  }
}
