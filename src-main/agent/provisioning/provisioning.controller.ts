/**
 * Provisioning: the enrolment record, the device API client built from it, the room's config and
 * whether the server answers. Activates (typed code, `vdxroom://activate` link, zero-touch),
 * connects an enrolled device and deprovisions it (IT revoked it, or a `reprovision` command).
 */
import { ActivationCodeInput } from '../../../src-shared/devices/activation.schema';
import { DeviceConfig } from '../../../src-shared/devices/devices.schema';
import type { AgentState, BridgeError, RoomInfo } from '../../../src-shared/ipc/room-bridge.contract';
import { AgentError, type BridgeHandlers } from '../bridge/agent-handlers';
import type { HttpFetch, SecretStore, ShellControl, SystemProbe } from '../platform/platform';
import type { AgentContext } from '../runtime/agent-context';
import { storedValue } from '../runtime/stored-value';
import { DeviceApi, ServerCallError, enroll, normaliseServerUrl, type DeviceCredentials } from '../server/device-api';
import {
  hashMachineId,
  installId,
  loadEnrolment,
  parseActivationUrl,
  saveEnrolment,
  wipeEnrolment,
  type ActivationRequest,
  type EnrolmentRecord,
} from './provisioning';

/** What the other controllers do at the edges of the enrolment (wired by the composition root). */
export interface ProvisioningHooks {
  /** A config (cached or fresh) now applies. */
  configApplied(config: DeviceConfig): void;
  /** The device is ready and has its config: sync the rest, open the event stream. */
  connected(api: DeviceApi): Promise<void>;
  /** Leave a running call (the credential is going away). */
  leaveCall(): void;
  /** Before the wipe: stop taking server events, drop the call. Returns what to do last. */
  detach(): () => void;
  /** After the wipe: forget what belonged to the enrolment (schedule cache, outbox). */
  wiped(): void;
  /** `online` changed. */
  onlineChanged(): void;
}

/** The device API client and whether the server answers, as the other controllers use them. */
export type ServerLink = Pick<ProvisioningController, 'api' | 'online' | 'setOnline' | 'serverError'>;

export interface ProvisioningOptions {
  fetch: HttpFetch;
  secrets: SecretStore;
  system: SystemProbe;
  shell: ShellControl;
  defaultServerUrl: string | null;
  zeroTouch: ActivationRequest | null;
  /** The cached schedule's show-subjects flag, for a room known only from its enrolment record. */
  showSubjects(): boolean;
  hooks: ProvisioningHooks;
}

export class ProvisioningController {
  /** The last config from the server (settings key `config`): the room works from it while offline. */
  readonly #config;
  #record: EnrolmentRecord | null = null;
  #api: DeviceApi | null = null;
  #deviceConfig: DeviceConfig | null = null;
  #room: RoomInfo | null = null;
  #online = false;

  constructor(
    private readonly ctx: AgentContext,
    private readonly o: ProvisioningOptions,
  ) {
    this.#config = storedValue(ctx.settings, 'config', DeviceConfig, null);
  }

  get defaultServerUrl(): string | null {
    return this.o.defaultServerUrl;
  }
  get record(): EnrolmentRecord | null {
    return this.#record;
  }
  get api(): DeviceApi | null {
    return this.#api;
  }
  get config(): DeviceConfig | null {
    return this.#deviceConfig;
  }
  get room(): RoomInfo | null {
    return this.#room;
  }
  get online(): boolean {
    return this.#online;
  }

  /** The room, or `not_provisioned` for actions that need an enrolled device. */
  requireRoom(): RoomInfo {
    if (!this.#room || !this.#record) throw new AgentError('not_provisioned', 'Enheden er ikke aktiveret.');
    return this.#room;
  }

  readonly handlers = {
    'provisioning:activate': async (request) => {
      if (this.#record) throw new AgentError('already_provisioned', 'Enheden er allerede aktiveret.');
      let activation: ActivationRequest | null;
      if ('url' in request) {
        activation = parseActivationUrl(request.url);
        if (!activation) throw new AgentError('invalid_activation_code', 'Aktiveringslinket kan ikke læses.');
      } else {
        const server = request.serverUrl ?? this.o.defaultServerUrl;
        if (!server) throw new AgentError('invalid_request', 'Der er ikke angivet nogen server.');
        activation = { serverUrl: normaliseServerUrl(server), code: request.code };
      }
      return this.#activate(activation);
    },
    'provisioning:state': async () => this.ctx.state.current,
  } satisfies Pick<BridgeHandlers, 'provisioning:activate' | 'provisioning:state'>;

  /** Loads the stored enrolment (or runs zero-touch) and connects. */
  async start(): Promise<void> {
    const { log } = this.ctx;
    const stored = await loadEnrolment(this.ctx.settings, this.o.secrets);
    if (stored) {
      log.info('starting as an enrolled device', { deviceId: stored.record.deviceId, server: stored.record.serverUrl, keyStore: this.o.secrets.kind });
      await this.#connect(stored.record, stored.credentials);
      return;
    }
    if (this.o.zeroTouch) {
      log.info('zero-touch activation', { server: this.o.zeroTouch.serverUrl });
      await this.#activate(this.o.zeroTouch).catch((err: unknown) => {
        log.warn('zero-touch activation failed', { error: (err as Error).message, code: (err as AgentError).code });
      });
      return;
    }
    if (this.o.shell.mode === 'desktop') {
      // A desktop needs no activation code: the person's sign-in is its identity (the staff session).
      log.info('desktop without an enrolment; the person signs in');
      return;
    }
    log.info('not enrolled; waiting for an activation code');
    this.ctx.state.set({ kind: 'unprovisioned', lastError: null });
  }

  async #activate(activation: ActivationRequest): Promise<AgentState> {
    const { state, log } = this.ctx;
    const code = ActivationCodeInput.safeParse(activation.code);
    if (!code.success) {
      const error = { code: 'invalid_activation_code' as const, message: 'Aktiveringskoden er ikke gyldig (12 tegn, fx 7KQM-3XWP-HT9C).' };
      state.set({ kind: 'unprovisioned', lastError: error });
      throw new AgentError(error.code, error.message);
    }
    state.set({ kind: 'enrolling', serverUrl: activation.serverUrl });
    const { hostname, os, hardware } = this.o.system.describe();
    let enrolled;
    try {
      enrolled = await enroll(this.o.fetch, activation.serverUrl, {
        activationCode: code.data,
        machineIdHash: hashMachineId(await this.o.system.machineId()),
        installId: installId(this.ctx.settings),
        hostname,
        hardware,
        os,
        appVersion: this.o.shell.appVersion,
      });
    } catch (err) {
      const error = enrolmentError(err);
      log.warn('enrolment failed', { error: (err as Error).message, code: error.code });
      state.set({ kind: 'unprovisioned', lastError: error });
      throw new AgentError(error.code, error.message);
    }
    const record: EnrolmentRecord = {
      serverUrl: activation.serverUrl,
      deviceId: enrolled.deviceId,
      roomId: enrolled.room.id,
      roomName: enrolled.room.name,
      organisationCode: enrolled.room.organisationCode,
      enrolledAt: this.ctx.clock.now().toISOString(),
    };
    await saveEnrolment(this.ctx.settings, this.o.secrets, record, enrolled);
    log.info('enrolled', { deviceId: enrolled.deviceId, room: enrolled.room.name, keyStore: this.o.secrets.kind });
    await this.#connect(record, { deviceId: enrolled.deviceId, clientId: enrolled.clientId, clientSecret: enrolled.clientSecret });
    return state.current;
  }

  /** From enrolled to ready: build the API client, read config (or its cache), then sync the rest. */
  async #connect(record: EnrolmentRecord, credentials: DeviceCredentials): Promise<void> {
    this.#record = record;
    const api = new DeviceApi(record.serverUrl, credentials, this.o.fetch, this.ctx.clock);
    this.#api = api;
    const cached = this.#config.get();
    if (cached) this.#applyConfig(cached);
    else this.#room = this.#roomFromRecord(record);
    this.ctx.state.set({ kind: 'ready', room: this.#room! });
    await this.refreshConfig();
    await this.o.hooks.connected(api);
  }

  async refreshConfig(): Promise<void> {
    const api = this.#api;
    if (!api) return;
    try {
      const config = await api.config();
      this.#config.set(config);
      this.#applyConfig(config);
      this.setOnline(true);
      this.#refreshRoomInState();
    } catch (err) {
      await this.serverError(err, 'config');
    }
  }

  /** The credential stopped working (revoked by IT): back to the activation screen. */
  async revoked(why: string): Promise<void> {
    if (!this.#record) return;
    this.ctx.log.warn('the device credential was revoked; back to activation', { error: why, code: 'revoked' });
    this.o.hooks.leaveCall();
    await this.deprovision({ code: 'not_provisioned', message: 'Enheden er blevet frakoblet af IT. Indtast en ny aktiveringskode.' });
  }

  async deprovision(lastError: BridgeError | null): Promise<void> {
    const last = this.o.hooks.detach();
    this.#api = null;
    this.#record = null;
    this.#deviceConfig = null;
    this.#room = null;
    await wipeEnrolment(this.ctx.settings, this.o.secrets);
    this.#config.clear();
    this.o.hooks.wiped();
    this.setOnline(false);
    this.ctx.state.set({ kind: 'unprovisioned', lastError });
    last();
  }

  /** A failed server call: revoked → deprovision; unreachable → offline (work from the cache); else log. */
  async serverError(err: unknown, what: string): Promise<void> {
    if (err instanceof ServerCallError && err.kind === 'unauthorized') {
      await this.revoked(err.message);
      return;
    }
    if (err instanceof ServerCallError && err.kind === 'offline') {
      if (this.#online) this.ctx.log.warn(`server unreachable (${what}); working from the cache`, { code: 'offline' });
      this.setOnline(false);
      return;
    }
    this.ctx.log.error(`${what} failed`, { error: (err as Error).message, code: (err as ServerCallError).code ?? 'error' });
  }

  setOnline(online: boolean): void {
    if (this.#online === online) return;
    this.#online = online;
    this.o.hooks.onlineChanged();
  }

  #roomFromRecord(record: EnrolmentRecord): RoomInfo {
    return {
      deviceId: record.deviceId,
      roomId: record.roomId,
      roomName: record.roomName,
      organisation: record.organisationCode,
      theme: null,
      showSubjects: this.o.showSubjects(),
      locale: 'da',
      conferenceBaseUrl: record.serverUrl,
    };
  }

  #applyConfig(config: DeviceConfig): void {
    this.#deviceConfig = config;
    this.#room = {
      deviceId: config.deviceId,
      roomId: config.room.id,
      roomName: config.room.name,
      organisation: config.room.organisationCode,
      theme: config.theme,
      showSubjects: config.privacy.showSubjects,
      locale: config.locale,
      conferenceBaseUrl: config.conferenceNodeUrl,
    };
    this.o.hooks.configApplied(config);
  }

  #refreshRoomInState(): void {
    const s = this.ctx.state.current;
    if (!this.#room) return;
    if (s.kind === 'ready' || s.kind === 'joining' || s.kind === 'in_call') this.ctx.state.set({ ...s, room: this.#room });
  }
}

function enrolmentError(err: unknown): BridgeError {
  if (err instanceof ServerCallError && err.kind === 'offline') return { code: 'offline', message: 'Serveren kan ikke nås. Prøv igen om lidt.' };
  if (err instanceof ServerCallError && err.status !== null && err.status < 500) {
    return { code: 'invalid_activation_code', message: 'Aktiveringskoden blev afvist (forkert, brugt eller udløbet).' };
  }
  return { code: 'server_error', message: 'Serveren svarede med en fejl.' };
}
