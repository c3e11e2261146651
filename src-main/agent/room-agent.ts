/**
 * The device agent: everything a room device does besides drawing pixels. It owns the life cycle
 * ({@link AgentState}, diagram in `src-shared/ipc/room-bridge.contract.ts`), talks to the server
 * over HTTP, and serves the room UI through the bridge contract ({@link RoomAgent.handlers}).
 *
 * Time: all scheduled behaviour (auto-join/leave, pre-flight, heartbeats, reconcile, update checks
 * and installs, message expiry) happens in {@link RoomAgent.tick}, which compares the injected
 * clock with what is due. Shells call `tick()` every ½ s; tests move a ManualClock and call it.
 */
import { timingSafeEqual, randomBytes } from 'node:crypto';
import { ActivationCodeInput } from '../../src-shared/devices/activation.schema';
import { CommandArgs, type CommandResult } from '../../src-shared/devices/commands.schema';
import { DEFAULT_MAINTENANCE_WINDOW } from '../../src-shared/devices/common.schema';
import type { DeviceConfig } from '../../src-shared/devices/devices.schema';
import { DeviceConfig as DeviceConfigSchema } from '../../src-shared/devices/devices.schema';
import type { CommandEventData, DeviceStreamEvent, MessageData } from '../../src-shared/devices/events.schema';
import type { z } from 'zod';
import {
  DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
  type CallSummary as ServerCallSummary,
  type Heartbeat,
  type UpdateState as HeartbeatUpdateState,
} from '../../src-shared/devices/heartbeat.schema';
import type {
  bridgeMethods} from '../../src-shared/ipc/room-bridge.contract';
import {
  Settings as SettingsSchema,
  type AgentState,
  type AppState,
  type BridgeError,
  type BridgeErrorCode,
  type BridgeEventName,
  type BridgeEventPayload,
  type BridgeMethodName,
  type BridgeResponse,
  type CallCommand,
  type CallInfo,
  type CallQuality,
  type Peripherals,
  type PreflightMediaReport,
  type RoomInfo,
  type ScreenMessage,
  type Settings,
  type UpdateState
} from '../../src-shared/ipc/room-bridge.contract';
import type { Clock } from '../../src-shared/platform/clock';
import { decideCall } from './calls/call-policy';
import { Outbox } from './health/outbox';
import { toPreflight, type NodeProbe } from './health/preflight-report';
import {
  hashMachineId,
  installId,
  loadEnrolment,
  parseActivationUrl,
  parseJoinUrl,
  saveEnrolment,
  wipeEnrolment,
  type ActivationRequest,
  type EnrolmentRecord,
} from './provisioning/provisioning';
import {
  clearScheduleCache,
  loadScheduleCache,
  normaliseScheduleBody,
  saveScheduleCache,
  toAgenda,
  type ScheduleCacheDocument,
  type ScheduledMeeting,
} from './schedule/room-schedule';
import { DeviceApi, ServerCallError, enroll, normaliseServerUrl, type DeviceCredentials } from './server/device-api';
import { DeviceEventStream } from './server/device-event-stream';
import { decideInstall, type InstallDecision } from './updates/update-policy';
import {
  realSleep,
  type AgentLogger,
  type HttpFetch,
  type SecretStore,
  type SettingsStore,
  type ShellControl,
  type Sleep,
  type SystemProbe,
  type UpdateDriver,
} from './platform/platform';

/** Seconds between schedule/config reconciles when the event stream is quiet. */
export const RECONCILE_SECONDS = 300;
/** Pre-flight this many seconds before a meeting's start. */
export const PREFLIGHT_LEAD_SECONDS = 120;
/** How long the renderer has to connect a call (or answer a pre-flight) before we give up. */
export const JOIN_TIMEOUT_SECONDS = 60;
export const PREFLIGHT_REPORT_TIMEOUT_MS = 15_000;
/** How long after `call:command leave` we wait for `call:ended` before forcing the state. */
export const LEAVE_TIMEOUT_SECONDS = 15;
export const UPDATE_CHECK_HOURS = 4;
/** Schedule window the agent syncs: from 12 h back (today's earlier meetings) to 7 days ahead. */
const SYNC_BACK_HOURS = 12;
const SYNC_AHEAD_DAYS = 7;

export interface RoomAgentOptions {
  clock: Clock;
  fetch: HttpFetch;
  secrets: SecretStore;
  settings: SettingsStore;
  system: SystemProbe;
  updates: UpdateDriver;
  shell: ShellControl;
  log: AgentLogger;
  /** `collect_logs`: the newest log lines. */
  collectLogs(options: { sinceMinutes: number; maxLines: number }): string;
  /** Warnings/errors for heartbeats. */
  recentErrors?(): Array<{ at: string; code?: string; message: string }>;
  /** The server the app was started against (`VDX_SERVER_URL`); default for typed codes. */
  defaultServerUrl: string | null;
  /** Zero-touch activation (environment or provisioning.json). */
  zeroTouch?: ActivationRequest | null;
  /** Join this many seconds before the start (default 0). */
  earlyJoinSeconds?: number;
  /** Kiosk admin exit PIN; null disables admin exit. */
  adminExitPin?: string | null;
  /** Join scheduled meetings by itself (default: kiosk mode only). */
  autoJoin?: boolean;
  sleep?: Sleep;
  random?: () => number;
}

type Listener = (event: BridgeEventName, payload: unknown) => void;
type Handlers = { [M in BridgeMethodName]: (request: z.output<(typeof bridgeMethods)[M]['request']>) => Promise<BridgeResponse<M>> };

interface ActiveCall {
  phase: 'joining' | 'in_call';
  info: CallInfo;
  since: Date;
  callId: string;
  quality: CallQuality | null;
  leaveRequestedAt: Date | null;
}

/** Thrown by handlers; the bridge host turns it into `{code, message}`. */
export class AgentError extends Error implements BridgeError {
  constructor(
    readonly code: BridgeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const EMPTY_PERIPHERALS: Peripherals = { cameras: [], microphones: [], speakers: [] };
const DEFAULT_SETTINGS: Settings = { cameraId: null, microphoneId: null, speakerId: null, locale: null };

export class RoomAgent {
  readonly #o: RoomAgentOptions;
  readonly #clock: Clock;
  readonly #log: AgentLogger;
  readonly #listeners = new Set<Listener>();
  readonly #startedAt: Date;
  readonly #outbox: Outbox;

  #state: AgentState = { kind: 'unprovisioned', lastError: null };
  #record: EnrolmentRecord | null = null;
  #api: DeviceApi | null = null;
  #stream: DeviceEventStream | null = null;
  #config: DeviceConfig | null = null;
  #room: RoomInfo | null = null;
  #online = false;
  #latencyMs: number | null = null;
  #schedule: ScheduleCacheDocument;
  #call: ActiveCall | null = null;
  readonly #excused = new Set<string>();
  readonly #failures = new Map<string, { count: number; lastAt: Date }>();
  readonly #preflighted = new Set<string>();
  readonly #pendingPreflight = new Map<string, (report: PreflightMediaReport | null) => void>();
  #peripherals: Peripherals = EMPTY_PERIPHERALS;
  #update: UpdateState;
  #downloadedVersion: string | null = null;
  #lastInstallDecision: InstallDecision | null = null;
  #lastUpdateCheckAt: Date | null = null;
  readonly #messages = new Map<string, ScreenMessage>();
  #nextHeartbeatAt = 0;
  #nextReconcileAt = 0;
  #nextUpdateCheckAt = 0;
  #heartbeatSeconds = DEFAULT_HEARTBEAT_INTERVAL_SECONDS;
  #ticking: Promise<void> | null = null;
  #stopped = false;
  /** Background work started by events/ticks, awaited by `idle()` (tests) and `stop()`. */
  readonly #background = new Set<Promise<unknown>>();
  readonly #inFlight = new Set<string>();

  constructor(options: RoomAgentOptions) {
    this.#o = options;
    this.#clock = options.clock;
    this.#log = options.log;
    this.#startedAt = options.clock.now();
    this.#outbox = new Outbox(options.settings, options.log);
    this.#schedule = loadScheduleCache(options.settings);
    this.#update = options.updates.supported ? { kind: 'idle' } : { kind: 'unsupported' };
    options.updates.onState((s) => this.#onUpdateState(s));
  }

  // ─── public surface ─────────────────────────────────────────────────────────────────────────

  /** Receives every bridge event the agent emits (the shells forward them to the UI). */
  onEvent(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get state(): AgentState {
    return this.#state;
  }

  /** Where updates come from: the enrolled server and the room's channel (null before enrolment). */
  get updateFeed(): { serverUrl: string; channel: string } | null {
    if (!this.#record) return null;
    return { serverUrl: this.#record.serverUrl, channel: this.#config?.updateChannel ?? 'stable' };
  }

  get serverUrl(): string | null {
    return this.#record?.serverUrl ?? this.#o.defaultServerUrl;
  }

  /** Loads the stored enrolment (or runs zero-touch) and starts syncing. */
  async start(): Promise<void> {
    const stored = await loadEnrolment(this.#o.settings, this.#o.secrets);
    if (stored) {
      this.#log.info('starting as an enrolled device', { deviceId: stored.record.deviceId, server: stored.record.serverUrl, keyStore: this.#o.secrets.kind });
      await this.#connect(stored.record, stored.credentials);
      return;
    }
    if (this.#o.zeroTouch) {
      this.#log.info('zero-touch activation', { server: this.#o.zeroTouch.serverUrl });
      await this.#activate(this.#o.zeroTouch).catch((err: unknown) => {
        this.#log.warn('zero-touch activation failed', { error: (err as Error).message, code: (err as AgentError).code });
      });
      return;
    }
    this.#log.info('not enrolled; waiting for an activation code');
    this.#setState({ kind: 'unprovisioned', lastError: null });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const settle of this.#pendingPreflight.values()) settle(null);
    await this.#stream?.stop();
    await Promise.allSettled([...this.#background]);
  }

  /** Waits until background work (event handling, reports) has settled. For tests and shutdown. */
  async idle(): Promise<void> {
    for (let i = 0; i < 20 && this.#background.size > 0; i++) await Promise.allSettled([...this.#background]);
  }

  /** Runs everything that is due now. Never runs twice at once. */
  tick(): Promise<void> {
    this.#ticking ??= this.#tick().finally(() => {
      this.#ticking = null;
    });
    return this.#ticking;
  }

  /** The bridge methods (validated requests in, responses out; throws {@link AgentError}). */
  readonly handlers: Handlers = {
    'provisioning:activate': async (request) => {
      if (this.#record) throw new AgentError('already_provisioned', 'Enheden er allerede aktiveret.');
      let activation: ActivationRequest | null;
      if ('url' in request) {
        activation = parseActivationUrl(request.url);
        if (!activation) throw new AgentError('invalid_activation_code', 'Aktiveringslinket kan ikke læses.');
      } else {
        const server = request.serverUrl ?? this.#o.defaultServerUrl;
        if (!server) throw new AgentError('invalid_request', 'Der er ikke angivet nogen server.');
        activation = { serverUrl: normaliseServerUrl(server), code: request.code };
      }
      return this.#activate(activation);
    },
    'provisioning:state': async () => this.#state,
    'schedule:get': async () => this.#agenda(),
    'call:join': async (request) => {
      this.#requireRoom();
      if ('meetingId' in request) {
        const meeting = this.#schedule.meetings.find((m) => m.id === request.meetingId);
        if (!meeting || Date.parse(meeting.endTime) <= this.#clock.now().getTime()) {
          throw new AgentError('meeting_not_found', 'Mødet findes ikke (længere) på dagsordenen.');
        }
        this.#excused.delete(meeting.id);
        return this.#join(this.#meetingCall(meeting, 'manual'));
      }
      return this.#join(this.#adHocCall(request.alias, request.pin ?? null, 'manual'));
    },
    'call:connected': async (request) => {
      const call = this.#call;
      if (!call || call.info.alias !== request.alias) throw new AgentError('not_in_call', 'Intet opkald til den adresse.');
      if (call.phase === 'joining') {
        call.phase = 'in_call';
        call.since = this.#clock.now();
        if (call.info.meetingId) this.#failures.delete(call.info.meetingId);
        this.#o.shell.setCallActive(true);
        this.#log.info('in call', { alias: call.info.alias, meetingId: call.info.meetingId, reason: call.info.reason });
        this.#setCallState();
        this.#nextHeartbeatAt = 0; // management sees "in call" now, not in 30 s
      }
      return { ok: true as const };
    },
    'call:failed': async (request) => {
      const call = this.#call;
      if (!call || call.info.alias !== request.alias) throw new AgentError('not_in_call', 'Intet opkald til den adresse.');
      this.#log.warn('joining failed', { alias: request.alias, code: request.error.code, error: request.error.message });
      this.#recordFailure(call.info.meetingId);
      this.#endCall();
      return { ok: true as const };
    },
    'call:leave': async () => {
      if (!this.#call) throw new AgentError('not_in_call', 'Der er intet opkald at forlade.');
      this.#requestLeave('manual');
      return { ok: true as const };
    },
    'call:report-stats': async (request) => {
      if (this.#call) this.#call.quality = request.quality;
      return { ok: true as const };
    },
    'call:ended': async (request) => {
      const call = this.#call;
      const s = request.summary;
      const meetingId = s.meetingId ?? call?.info.meetingId ?? null;
      if (meetingId) {
        if (s.endReason === 'error') this.#recordFailure(meetingId);
        else this.#excused.add(meetingId);
      }
      const summary: ServerCallSummary = {
        callId: call?.callId ?? randomBytes(12).toString('base64url'),
        alias: s.alias,
        ...(meetingId ? { meetingUuid: meetingId } : {}),
        startedAt: s.startedAt,
        endedAt: s.endedAt,
        durationSeconds: Math.max(0, (Date.parse(s.endedAt) - Date.parse(s.startedAt)) / 1000),
        averages: {
          packetLossPercent: s.avgPacketLossPercent,
          jitterMs: s.avgJitterMs,
          bitrateKbps: s.avgBitrateKbps,
          frameRate: s.avgFrameRate ?? 0,
        },
        freezes: { count: s.freezeCount, totalSeconds: s.freezeSeconds },
        endReason: s.endReason,
      };
      this.#outbox.add({ kind: 'call_summary', body: summary });
      this.#log.info('call ended', { alias: s.alias, meetingId, reason: s.endReason, seconds: summary.durationSeconds });
      if (call) this.#endCall();
      this.#nextHeartbeatAt = 0;
      this.#track(this.#flushOutbox());
      return { ok: true as const };
    },
    'preflight:report': async (request) => {
      this.#pendingPreflight.get(request.requestId)?.(request);
      return { ok: true as const };
    },
    'media:report-devices': async (request) => {
      // Management should see a changed camera/microphone now, not at the next interval.
      if (JSON.stringify(request) !== JSON.stringify(this.#peripherals)) this.#nextHeartbeatAt = 0;
      this.#peripherals = request;
      return { ok: true as const };
    },
    'settings:get': async () => this.#settings(),
    'settings:set': async (request) => {
      const next = SettingsSchema.parse({ ...this.#settings(), ...request });
      this.#o.settings.set('settings', next);
      this.#emit('settings:changed', next);
      this.#emitAppState();
      return next;
    },
    'app:state': async () => this.#appState(),
    'app:admin-exit': async (request) => {
      const pin = this.#o.adminExitPin;
      const a = Buffer.from(request.pin);
      const b = Buffer.from(pin ?? '');
      if (!pin || a.length !== b.length || !timingSafeEqual(a, b)) {
        this.#log.warn('admin exit refused (wrong PIN)', { code: 'admin_exit_refused' });
        throw new AgentError('invalid_pin', 'Forkert PIN.');
      }
      this.#log.info('admin exit');
      queueMicrotask(() => this.#o.shell.quit());
      return { ok: true as const };
    },
    'message:dismiss': async (request) => {
      if (this.#messages.delete(request.id)) this.#emit('message:hide', { id: request.id });
      return { ok: true as const };
    },
  };

  /**
   * Events a freshly connected UI needs beyond `app:state`/`schedule:get`: the messages on screen
   * and a join in progress (a UI that reloads mid-join must still join).
   */
  replayEvents(): Array<{ event: BridgeEventName; payload: unknown }> {
    const out: Array<{ event: BridgeEventName; payload: unknown }> = [...this.#messages.values()].map((m) => ({ event: 'message:show' as const, payload: m }));
    if (this.#call?.phase === 'joining' && !this.#call.leaveRequestedAt) {
      out.push({ event: 'call:command', payload: this.#joinCommandFor(this.#call) });
    }
    return out;
  }

  /** The UI went away (renderer crash, page closed): a call it was running is over. */
  rendererGone(): void {
    if (!this.#call) return;
    this.#log.warn('the room UI went away during a call', { alias: this.#call.info.alias, code: 'renderer_gone' });
    this.#recordFailure(this.#call.info.meetingId);
    this.#endCall();
  }

  /** Opened with a `vdxroom://` URL (protocol handler, second instance). */
  async openUrl(url: string): Promise<void> {
    if (parseActivationUrl(url)) {
      await this.handlers['provisioning:activate']({ url });
      return;
    }
    const join = parseJoinUrl(url);
    if (join) await this.#join(this.#adHocCall(join.alias, join.pin, 'link'));
  }

  // ─── provisioning ───────────────────────────────────────────────────────────────────────────

  async #activate(activation: ActivationRequest): Promise<AgentState> {
    const code = ActivationCodeInput.safeParse(activation.code);
    if (!code.success) {
      const error = { code: 'invalid_activation_code' as const, message: 'Aktiveringskoden er ikke gyldig (12 tegn, fx 7KQM-3XWP-HT9C).' };
      this.#setState({ kind: 'unprovisioned', lastError: error });
      throw new AgentError(error.code, error.message);
    }
    this.#setState({ kind: 'enrolling', serverUrl: activation.serverUrl });
    const { hostname, os, hardware } = this.#o.system.describe();
    let enrolled;
    try {
      enrolled = await enroll(this.#o.fetch, activation.serverUrl, {
        activationCode: code.data,
        machineIdHash: hashMachineId(await this.#o.system.machineId()),
        installId: installId(this.#o.settings),
        hostname,
        hardware,
        os,
        appVersion: this.#o.shell.appVersion,
      });
    } catch (err) {
      const offline = err instanceof ServerCallError && err.kind === 'offline';
      const error: BridgeError = offline
        ? { code: 'offline', message: 'Serveren kan ikke nås. Prøv igen om lidt.' }
        : err instanceof ServerCallError && err.status !== null && err.status < 500
          ? { code: 'invalid_activation_code', message: 'Aktiveringskoden blev afvist (forkert, brugt eller udløbet).' }
          : { code: 'server_error', message: 'Serveren svarede med en fejl.' };
      this.#log.warn('enrolment failed', { error: (err as Error).message, code: error.code });
      this.#setState({ kind: 'unprovisioned', lastError: error });
      throw new AgentError(error.code, error.message);
    }
    const record: EnrolmentRecord = {
      serverUrl: activation.serverUrl,
      deviceId: enrolled.deviceId,
      roomId: enrolled.room.id,
      roomName: enrolled.room.name,
      organisationCode: enrolled.room.organisationCode,
      enrolledAt: this.#clock.now().toISOString(),
    };
    await saveEnrolment(this.#o.settings, this.#o.secrets, record, enrolled);
    this.#log.info('enrolled', { deviceId: enrolled.deviceId, room: enrolled.room.name, keyStore: this.#o.secrets.kind });
    await this.#connect(record, { deviceId: enrolled.deviceId, clientId: enrolled.clientId, clientSecret: enrolled.clientSecret });
    return this.#state;
  }

  /** From enrolled to ready: build the API client, read config (or its cache), open the stream. */
  async #connect(record: EnrolmentRecord, credentials: DeviceCredentials): Promise<void> {
    this.#record = record;
    this.#api = new DeviceApi(record.serverUrl, credentials, this.#o.fetch, this.#clock);
    const cachedConfig = DeviceConfigSchema.safeParse(this.#o.settings.get('config'));
    if (cachedConfig.success) this.#applyConfig(cachedConfig.data);
    else this.#room = this.#roomFromRecord(record);
    this.#setState({ kind: 'ready', room: this.#room! });
    await this.#refreshConfig();
    await this.#refreshSchedule();
    this.#startStream();
    this.#nextHeartbeatAt = 0;
    this.#nextUpdateCheckAt = this.#clock.now().getTime() + 60_000;
  }

  #startStream(): void {
    const api = this.#api;
    if (!api || this.#stopped) return;
    this.#stream = new DeviceEventStream({
      open: (lastEventId, signal) => api.events(lastEventId, signal),
      onEvent: (event) => this.#onServerEvent(event),
      onConnection: (connected) => {
        if (connected) {
          this.#setOnline(true);
          // Whatever happened while we were away: fetch the schedule again.
          this.#track(this.#refreshSchedule().then(() => this.#flushOutbox()));
        }
      },
      onUnauthorized: (err) => this.#track(this.#revoked(err.message)),
      log: this.#log,
      sleep: this.#o.sleep ?? realSleep,
      lastEventId: (this.#o.settings.get('lastEventId') as string | undefined) ?? null,
      ...(this.#o.random ? { random: this.#o.random } : {}),
    });
    this.#stream.start();
  }

  async #revoked(why: string): Promise<void> {
    if (!this.#record) return;
    this.#log.warn('the device credential was revoked; back to activation', { error: why, code: 'revoked' });
    if (this.#call) this.#requestLeave('reprovision');
    await this.#deprovision({ code: 'not_provisioned', message: 'Enheden er blevet frakoblet af IT. Indtast en ny aktiveringskode.' });
  }

  async #deprovision(lastError: BridgeError | null): Promise<void> {
    const stream = this.#stream;
    this.#stream = null;
    this.#api = null;
    this.#record = null;
    this.#config = null;
    this.#room = null;
    this.#call = null;
    this.#o.shell.setCallActive(false);
    await wipeEnrolment(this.#o.settings, this.#o.secrets);
    this.#o.settings.delete('config');
    this.#o.settings.delete('lastEventId');
    clearScheduleCache(this.#o.settings);
    this.#schedule = loadScheduleCache(this.#o.settings);
    this.#outbox.clear();
    this.#setOnline(false);
    this.#setState({ kind: 'unprovisioned', lastError });
    this.#emit('schedule:changed', this.#agenda());
    // Last: stop() waits for the stream loop, which may be what called us.
    void stream?.stop();
  }

  // ─── server sync ────────────────────────────────────────────────────────────────────────────

  #roomFromRecord(record: EnrolmentRecord): RoomInfo {
    return {
      deviceId: record.deviceId,
      roomId: record.roomId,
      roomName: record.roomName,
      organisation: record.organisationCode,
      theme: null,
      showSubjects: this.#schedule.showSubjects,
      locale: 'da',
      conferenceBaseUrl: record.serverUrl,
    };
  }

  #applyConfig(config: DeviceConfig): void {
    this.#config = config;
    this.#heartbeatSeconds = config.heartbeatIntervalSeconds;
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
    if (this.#schedule.showSubjects !== config.privacy.showSubjects) {
      this.#schedule = { ...this.#schedule, showSubjects: config.privacy.showSubjects };
      saveScheduleCache(this.#o.settings, this.#schedule);
    }
  }

  async #refreshConfig(): Promise<void> {
    const api = this.#api;
    if (!api) return;
    try {
      const config = await api.config();
      this.#o.settings.set('config', config);
      this.#applyConfig(config);
      this.#setOnline(true);
      this.#refreshRoomInState();
    } catch (err) {
      await this.#onServerError(err, 'config');
    }
  }

  async #refreshSchedule(): Promise<void> {
    const api = this.#api;
    if (!api) return;
    const now = this.#clock.now().getTime();
    const range = {
      from: new Date(now - SYNC_BACK_HOURS * 3600_000).toISOString(),
      to: new Date(now + SYNC_AHEAD_DAYS * 86_400_000).toISOString(),
    };
    this.#nextReconcileAt = now + RECONCILE_SECONDS * 1000;
    try {
      const result = await api.schedule(range, this.#schedule.etag);
      this.#setOnline(true);
      const syncedAt = this.#clock.now().toISOString();
      if (result.notModified) {
        this.#schedule = { ...this.#schedule, syncedAt };
      } else {
        const fallback = this.#room?.conferenceBaseUrl ?? api.serverUrl;
        const { meetings, skipped } = normaliseScheduleBody(result.body, fallback);
        if (skipped > 0) this.#log.warn('schedule items the agent could not read', { skipped, code: 'schedule_item_skipped' });
        this.#schedule = { ...this.#schedule, meetings, etag: result.etag, syncedAt };
      }
      saveScheduleCache(this.#o.settings, this.#schedule);
      this.#emit('schedule:changed', this.#agenda());
    } catch (err) {
      await this.#onServerError(err, 'schedule');
    }
  }

  async #onServerError(err: unknown, what: string): Promise<void> {
    if (err instanceof ServerCallError && err.kind === 'unauthorized') {
      await this.#revoked(err.message);
      return;
    }
    if (err instanceof ServerCallError && err.kind === 'offline') {
      if (this.#online) this.#log.warn(`server unreachable (${what}); working from the cache`, { code: 'offline' });
      this.#setOnline(false);
      return;
    }
    this.#log.error(`${what} failed`, { error: (err as Error).message, code: (err as ServerCallError).code ?? 'error' });
  }

  async #onServerEvent(event: DeviceStreamEvent): Promise<void> {
    if (event.id) this.#o.settings.set('lastEventId', event.id);
    switch (event.type) {
      case 'schedule_changed':
        await this.#refreshSchedule();
        break;
      case 'config_changed':
        await this.#refreshConfig();
        break;
      case 'message':
        this.#showMessage(event.data);
        break;
      case 'command':
        await this.#runCommand(event.data);
        break;
      case 'device.revoked':
        await this.#revoked(event.data.reason);
        break;
    }
  }

  #setOnline(online: boolean): void {
    if (this.#online === online) return;
    this.#online = online;
    this.#emitAppState();
    this.#emit('schedule:changed', this.#agenda());
  }

  async #flushOutbox(): Promise<void> {
    const api = this.#api;
    if (!api || this.#outbox.size === 0) return;
    try {
      await this.#outbox.flush(api);
      this.#setOnline(true);
    } catch (err) {
      await this.#onServerError(err, 'reports');
    }
  }

  // ─── calls ──────────────────────────────────────────────────────────────────────────────────

  #requireRoom(): RoomInfo {
    if (!this.#room || !this.#record) throw new AgentError('not_provisioned', 'Enheden er ikke aktiveret.');
    return this.#room;
  }

  #meetingCall(meeting: ScheduledMeeting, reason: CallInfo['reason']): { info: CallInfo; pin: string | null; conferenceBaseUrl: string } {
    return {
      info: { meetingId: meeting.id, alias: meeting.alias, reason, endTime: meeting.endTime },
      pin: meeting.pin,
      conferenceBaseUrl: meeting.conferenceBaseUrl,
    };
  }

  #adHocCall(alias: string, pin: string | null, reason: CallInfo['reason']) {
    const room = this.#requireRoom();
    return { info: { meetingId: null, alias, reason, endTime: null }, pin, conferenceBaseUrl: room.conferenceBaseUrl };
  }

  #pins = new Map<string, { pin: string | null; conferenceBaseUrl: string }>();

  #joinCommandFor(call: ActiveCall): CallCommand {
    const room = this.#requireRoom();
    const extra = this.#pins.get(call.callId)!;
    return {
      action: 'join',
      meetingId: call.info.meetingId,
      alias: call.info.alias,
      pin: extra.pin,
      conferenceBaseUrl: extra.conferenceBaseUrl,
      displayName: room.roomName,
      reason: call.info.reason,
      endTime: call.info.endTime,
    };
  }

  async #join(target: { info: CallInfo; pin: string | null; conferenceBaseUrl: string }): Promise<CallCommand> {
    this.#requireRoom();
    if (this.#call) throw new AgentError('busy', 'Rummet er allerede i et opkald.');
    const call: ActiveCall = {
      phase: 'joining',
      info: target.info,
      since: this.#clock.now(),
      callId: randomBytes(12).toString('base64url'),
      quality: null,
      leaveRequestedAt: null,
    };
    this.#pins.clear();
    this.#pins.set(call.callId, { pin: target.pin, conferenceBaseUrl: target.conferenceBaseUrl });
    this.#call = call;
    this.#log.info('joining', { alias: target.info.alias, meetingId: target.info.meetingId, reason: target.info.reason });
    this.#setCallState();
    const command = this.#joinCommandFor(call);
    this.#emit('call:command', command);
    return command;
  }

  #requestLeave(reason: Extract<CallCommand, { action: 'leave' }>['reason']): void {
    const call = this.#call;
    if (!call) return;
    if (reason === 'manual' && call.info.meetingId) this.#excused.add(call.info.meetingId);
    call.leaveRequestedAt = this.#clock.now();
    this.#log.info('leaving', { alias: call.info.alias, reason });
    this.#emit('call:command', { action: 'leave', reason });
  }

  #recordFailure(meetingId: string | null): void {
    if (!meetingId) return;
    const prev = this.#failures.get(meetingId);
    this.#failures.set(meetingId, { count: (prev?.count ?? 0) + 1, lastAt: this.#clock.now() });
  }

  #endCall(): void {
    this.#call = null;
    this.#pins.clear();
    this.#o.shell.setCallActive(false);
    if (this.#room) this.#setState({ kind: 'ready', room: this.#room });
  }

  #setCallState(): void {
    const call = this.#call;
    const room = this.#room;
    if (!room) return;
    if (!call) this.#setState({ kind: 'ready', room });
    else this.#setState({ kind: call.phase, room, call: call.info, since: call.since.toISOString() });
  }

  // ─── ticks ──────────────────────────────────────────────────────────────────────────────────

  async #tick(): Promise<void> {
    if (this.#stopped || !this.#record) return;
    const now = this.#clock.now();
    const t = now.getTime();
    this.#expireMessages(t);

    // A renderer that never connects, or never confirms a leave, must not wedge the room.
    const call = this.#call;
    if (call?.phase === 'joining' && t - call.since.getTime() > JOIN_TIMEOUT_SECONDS * 1000) {
      this.#log.warn('the room UI did not connect the call in time', { alias: call.info.alias, code: 'join_timeout' });
      this.#recordFailure(call.info.meetingId);
      this.#emit('call:command', { action: 'leave', reason: 'command' });
      this.#endCall();
    } else if (call?.leaveRequestedAt && t - call.leaveRequestedAt.getTime() > LEAVE_TIMEOUT_SECONDS * 1000) {
      this.#log.warn('no call summary after leaving; closing the call', { code: 'leave_timeout' });
      this.#endCall();
    }

    const decision = decideCall({
      now,
      meetings: this.#schedule.meetings,
      earlyJoinSeconds: this.#earlyJoinSeconds(),
      call: this.#call ? { phase: this.#call.phase, meetingId: this.#call.info.meetingId } : { phase: 'idle' },
      excused: this.#excused,
      failures: this.#failures,
      autoJoin: this.#o.autoJoin ?? this.#o.shell.mode === 'kiosk',
    });
    if (decision.action === 'join') await this.#join(this.#meetingCall(decision.meeting, 'schedule'));
    else if (decision.action === 'leave' && !this.#call?.leaveRequestedAt) this.#requestLeave('schedule_end');

    this.#maybePreflight(t);

    // Network work runs beside the tick: a black-holed server (15 s timeouts) must never delay
    // the next tick's join or leave.
    if (t >= this.#nextHeartbeatAt) {
      this.#nextHeartbeatAt = t + this.#heartbeatSeconds * 1000;
      this.#trackOnce('heartbeat', () => this.#sendHeartbeat());
    }
    if (t >= this.#nextReconcileAt) {
      this.#nextReconcileAt = t + RECONCILE_SECONDS * 1000;
      this.#trackOnce('reconcile', async () => {
        await this.#refreshConfig();
        await this.#refreshSchedule();
      });
    }
    if (this.#o.updates.supported && t >= this.#nextUpdateCheckAt) {
      this.#nextUpdateCheckAt = t + UPDATE_CHECK_HOURS * 3600_000;
      this.#track(this.#checkForUpdate().catch(() => undefined));
    }
    this.#maybeInstall(now);
  }

  /** Runs background work, remembered until it settles (so `idle()`/`stop()` can wait for it). */
  #track(work: Promise<unknown>): void {
    const p = work.catch((err: unknown) => this.#log.error('background task failed', { error: (err as Error).message }));
    this.#background.add(p);
    void p.finally(() => this.#background.delete(p));
  }

  /** Like {@link #track}, but at most one of each kind at a time (a slow server must not pile them up). */
  #trackOnce(kind: string, start: () => Promise<unknown>): void {
    if (this.#inFlight.has(kind)) return;
    this.#inFlight.add(kind);
    this.#track(start().finally(() => this.#inFlight.delete(kind)));
  }

  #earlyJoinSeconds(): number {
    return this.#o.earlyJoinSeconds ?? 0;
  }

  // ─── pre-flight ─────────────────────────────────────────────────────────────────────────────

  #maybePreflight(now: number): void {
    if (this.#call) return;
    for (const m of this.#schedule.meetings) {
      const start = Date.parse(m.startTime) - this.#earlyJoinSeconds() * 1000;
      if (this.#preflighted.has(m.id) || start - now > PREFLIGHT_LEAD_SECONDS * 1000 || start <= now) continue;
      this.#preflighted.add(m.id);
      this.#track(this.#preflight(m));
      return; // one at a time
    }
  }

  /**
   * Camera and microphone come from the UI (it owns the media devices); conference-node
   * reachability from here. The result goes to management as an extra heartbeat carrying
   * `preflight` (the server keeps the latest per device), with failures also in `recentErrors`
   * (codes `preflight_camera`, `preflight_microphone`, `preflight_conference_node`).
   */
  async #preflight(meeting: ScheduledMeeting): Promise<void> {
    const requestId = randomBytes(9).toString('base64url');
    const media = new Promise<PreflightMediaReport | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), PREFLIGHT_REPORT_TIMEOUT_MS);
      timer.unref?.();
      this.#pendingPreflight.set(requestId, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
    this.#emit('preflight:request', { requestId, meetingId: meeting.id, startTime: meeting.startTime });
    const [report, node] = await Promise.all([media, this.#probe(meeting.conferenceBaseUrl)]);
    this.#pendingPreflight.delete(requestId);
    const failures: Array<{ code: string; message: string }> = [];
    if (!report) failures.push({ code: 'preflight_media', message: 'The room UI did not answer the pre-flight check' });
    else {
      if (!report.camera.ok) failures.push({ code: 'preflight_camera', message: `Camera: ${report.camera.error ?? 'failed'}` });
      if (!report.microphone.ok) failures.push({ code: 'preflight_microphone', message: `Microphone: ${report.microphone.error ?? 'failed'}` });
    }
    if (!node.reachable) failures.push({ code: 'preflight_conference_node', message: `Conference node unreachable: ${node.error ?? ''}`.trim() });
    const at = this.#clock.now().toISOString();
    for (const f of failures) this.#log.warn(`pre-flight: ${f.message}`, { code: f.code, meetingId: meeting.id });
    this.#log.info('pre-flight done', { meetingId: meeting.id, ok: failures.length === 0, nodeLatencyMs: node.latencyMs });
    const heartbeat = await this.#buildHeartbeat();
    const withPreflight: Heartbeat = {
      ...heartbeat,
      recentErrors: [...(heartbeat.recentErrors ?? []), ...failures.map((f) => ({ at, ...f }))].slice(-20),
      preflight: toPreflight(meeting, at, report, node),
    };
    this.#outbox.add({ kind: 'heartbeat', body: withPreflight });
    await this.#flushOutbox();
  }

  async #probe(baseUrl: string): Promise<NodeProbe> {
    const started = performance.now();
    try {
      const response = await this.#o.fetch(baseUrl, { method: 'GET', signal: AbortSignal.timeout(5000) });
      await response.body?.cancel();
      return { reachable: true, latencyMs: Math.round(performance.now() - started), error: null };
    } catch (err) {
      return { reachable: false, latencyMs: null, error: (err as Error).message };
    }
  }

  // ─── health ─────────────────────────────────────────────────────────────────────────────────

  async #buildHeartbeat(): Promise<Heartbeat> {
    const { os } = this.#o.system.describe();
    const sample = await this.#o.system.sample();
    const settings = this.#settings();
    const mark = <T extends { id: string }>(list: T[], selected: string | null) =>
      list.map((d, i) => ({ ...d, selected: selected ? d.id === selected : i === 0 }));
    const call = this.#call;
    const q = call?.phase === 'in_call' ? call.quality : null;
    return {
      sentAt: this.#clock.now().toISOString(),
      appVersion: this.#o.shell.appVersion,
      os,
      uptimeSeconds: Math.max(0, (this.#clock.now().getTime() - this.#startedAt.getTime()) / 1000),
      systemUptimeSeconds: sample.systemUptimeSeconds,
      cpu: { loadPercent: Math.min(100, Math.max(0, sample.cpuLoadPercent)) },
      memory: sample.memory,
      disk: sample.disk,
      network: { serverReachable: this.#online, latencyMs: this.#latencyMs },
      peripherals: {
        cameras: mark(this.#peripherals.cameras, settings.cameraId),
        microphones: mark(this.#peripherals.microphones, settings.microphoneId),
        speakers: mark(this.#peripherals.speakers, settings.speakerId),
      },
      callState:
        call?.phase === 'in_call'
          ? {
              state: 'in_call',
              alias: call.info.alias,
              since: call.since.toISOString(),
              ...(call.info.meetingId ? { meetingUuid: call.info.meetingId } : {}),
            }
          : { state: 'idle' },
      callQuality: q
        ? {
            packetLossPercent: q.packetLossPercent,
            jitterMs: q.jitterMs,
            bitrateKbps: q.bitrateKbps + (q.sendBitrateKbps ?? 0),
            resolution: q.width !== null && q.height !== null ? { width: q.width, height: q.height } : null,
            frameRate: q.frameRate ?? 0,
            ...(q.roundTripMs !== null ? { roundTripMs: q.roundTripMs } : {}),
          }
        : null,
      ...(this.#heartbeatUpdateState() ? { update: this.#heartbeatUpdateState()! } : {}),
      recentErrors: (this.#o.recentErrors?.() ?? []).slice(-20),
    };
  }

  async #sendHeartbeat(): Promise<void> {
    const api = this.#api;
    if (!api) return;
    this.#outbox.add({ kind: 'heartbeat', body: await this.#buildHeartbeat() });
    const started = performance.now();
    await this.#flushOutbox();
    if (this.#online) this.#latencyMs = Math.round(performance.now() - started);
  }

  // ─── commands and messages ──────────────────────────────────────────────────────────────────

  #showMessage(data: z.infer<typeof MessageData>): void {
    if (Date.parse(data.expiresAt) <= this.#clock.now().getTime()) return;
    const message: ScreenMessage = { id: data.id, text: data.text, severity: data.severity, expiresAt: data.expiresAt };
    this.#messages.set(message.id, message);
    this.#emit('message:show', message);
  }

  #expireMessages(now: number): void {
    for (const [id, m] of this.#messages) {
      if (m.expiresAt && Date.parse(m.expiresAt) <= now) {
        this.#messages.delete(id);
        this.#emit('message:hide', { id });
      }
    }
  }

  /** Commands are re-sent until answered, so each runs at most once (ids remembered). */
  async #runCommand(command: z.infer<typeof CommandEventData>): Promise<void> {
    const api = this.#api;
    if (!api) return;
    const done = (this.#o.settings.get('handledCommands') as string[] | undefined) ?? [];
    if (done.includes(command.id)) return;
    if (Date.parse(command.expiresAt) <= this.#clock.now().getTime()) {
      this.#log.info('ignoring an expired command', { id: command.id, type: command.type });
      return;
    }
    this.#o.settings.set('handledCommands', [...done, command.id].slice(-200));
    this.#log.info('command', { id: command.id, type: command.type });
    let result: CommandResult;
    let after: (() => void | Promise<void>) | null = null;
    try {
      const args = CommandArgs[command.type].safeParse(command.args);
      if (!args.success) throw new AgentError('invalid_request', `Invalid arguments: ${args.error.message}`);
      ({ result, after } = await this.#execute(command, args.data as Record<string, unknown>));
    } catch (err) {
      result = { status: 'failed', detail: `${(err as AgentError).code ?? 'error'}: ${(err as Error).message}` };
    }
    this.#outbox.add({ kind: 'command_result', commandId: command.id, body: result });
    await this.#flushOutbox();
    this.#log.info('command result', { id: command.id, type: command.type, status: result.status });
    await after?.();
  }

  async #execute(
    command: z.infer<typeof CommandEventData>,
    args: Record<string, unknown>,
  ): Promise<{ result: CommandResult; after: (() => void | Promise<void>) | null }> {
    const ok = (detail?: string): CommandResult => ({ status: 'succeeded', ...(detail ? { detail } : {}) });
    switch (command.type) {
      case 'restart_app':
        // Answer first: after the restart nobody remembers the command.
        return { result: ok('restarting'), after: () => this.#o.shell.restartApp() };
      case 'reload_ui':
        return { result: ok('reloading'), after: () => this.#o.shell.reloadUi() };
      case 'check_update': {
        if (!this.#o.updates.supported) return { result: { status: 'failed', detail: 'this shell cannot update itself' }, after: null };
        const found = await this.#checkForUpdate();
        return { result: ok(found.available ? `update ${found.version} downloading; installs when the room is idle in its maintenance window` : 'up to date'), after: null };
      }
      case 'show_message': {
        const a = args as { text: string; severity: 'info' | 'warning'; durationSeconds?: number };
        const until = a.durationSeconds
          ? new Date(this.#clock.now().getTime() + a.durationSeconds * 1000).toISOString()
          : command.expiresAt;
        this.#showMessage({ id: command.id, text: a.text, severity: a.severity, expiresAt: until });
        return { result: ok(), after: null };
      }
      case 'join_meeting': {
        const a = args as { alias: string; pin?: string; displayName?: string };
        const meeting = this.#schedule.meetings.find((m) => m.alias === a.alias);
        const target = meeting
          ? { ...this.#meetingCall(meeting, 'command'), ...(a.pin ? { pin: a.pin } : {}) }
          : this.#adHocCall(a.alias, a.pin ?? null, 'command');
        if (meeting) this.#excused.delete(meeting.id);
        await this.#join(target);
        return { result: ok(`joining ${a.alias}`), after: null };
      }
      case 'leave_meeting':
        if (!this.#call) return { result: ok('not in a call'), after: null };
        if (this.#call.info.meetingId) this.#excused.add(this.#call.info.meetingId);
        this.#requestLeave('command');
        return { result: ok('leaving'), after: null };
      case 'collect_logs': {
        const a = args as { sinceMinutes: number; maxLines: number };
        return { result: ok(this.#o.collectLogs(a).slice(-60 * 1024)), after: null };
      }
      case 'reprovision': {
        const wipe = (args as { wipeCredentials: boolean }).wipeCredentials;
        return {
          result: ok(wipe ? 'credentials wiped; showing the activation screen' : 'refetching config and schedule'),
          after: async () => {
            if (this.#call) this.#requestLeave('reprovision');
            if (wipe) await this.#deprovision(null);
            else {
              await this.#refreshConfig();
              await this.#refreshSchedule();
            }
          },
        };
      }
    }
  }

  // ─── updates ────────────────────────────────────────────────────────────────────────────────

  async #checkForUpdate(): Promise<{ available: boolean; version: string | null }> {
    this.#lastUpdateCheckAt = this.#clock.now();
    try {
      const found = await this.#o.updates.check();
      this.#log.info('update check', { available: found.available, version: found.version });
      return found;
    } catch (err) {
      this.#log.warn('update check failed', { error: (err as Error).message, code: 'update_error' });
      this.#onUpdateState({ kind: 'error', message: (err as Error).message });
      throw err;
    }
  }

  #onUpdateState(state: UpdateState): void {
    this.#update = state;
    if (state.kind === 'pending_install') this.#downloadedVersion = state.version;
    this.#emitAppState();
  }

  #maybeInstall(now: Date): void {
    if (!this.#downloadedVersion || this.#update.kind === 'installing') return;
    const decision = decideInstall({
      now,
      downloadedVersion: this.#downloadedVersion,
      callPhase: this.#call?.phase ?? 'idle',
      maintenanceWindow: this.#config?.maintenanceWindow ?? DEFAULT_MAINTENANCE_WINDOW,
      meetings: this.#schedule.meetings,
      earlyJoinSeconds: this.#earlyJoinSeconds(),
    });
    this.#lastInstallDecision = decision;
    if (!decision.install) return;
    this.#log.info('installing update', { version: this.#downloadedVersion });
    this.#onUpdateState({ kind: 'installing', version: this.#downloadedVersion });
    this.#o.updates.install();
  }

  #heartbeatUpdateState(): HeartbeatUpdateState | null {
    const u = this.#update;
    const lastCheckAt = this.#lastUpdateCheckAt ? { lastCheckAt: this.#lastUpdateCheckAt.toISOString() } : {};
    switch (u.kind) {
      case 'unsupported':
        return null;
      case 'idle':
      case 'checking':
        return { state: u.kind, ...lastCheckAt };
      case 'downloading':
        return { state: 'downloading', version: u.version, progressPercent: u.percent, ...lastCheckAt };
      case 'pending_install': {
        const d = this.#lastInstallDecision;
        return d && !d.install && d.reason !== 'nothing_downloaded'
          ? { state: 'deferred', version: u.version, deferredReason: d.reason, ...lastCheckAt }
          : { state: 'downloaded', version: u.version, ...lastCheckAt };
      }
      case 'installing':
        return { state: 'installing', version: u.version, ...lastCheckAt };
      case 'error':
        return { state: 'error', error: u.message.slice(0, 1000), ...lastCheckAt };
    }
  }

  // ─── state and events ───────────────────────────────────────────────────────────────────────

  #settings(): Settings {
    const parsed = SettingsSchema.safeParse(this.#o.settings.get('settings'));
    return parsed.success ? parsed.data : DEFAULT_SETTINGS;
  }

  #agenda() {
    return toAgenda(this.#schedule, { now: this.#clock.now(), earlyJoinSeconds: this.#earlyJoinSeconds(), online: this.#online });
  }

  #appState(): AppState {
    return {
      agent: this.#state,
      update: this.#update,
      online: this.#online,
      shell: this.#o.shell.shell,
      mode: this.#o.shell.mode,
      appVersion: this.#o.shell.appVersion,
      locale: this.#settings().locale ?? this.#room?.locale ?? 'da',
    };
  }

  #refreshRoomInState(): void {
    const s = this.#state;
    if (!this.#room) return;
    if (s.kind === 'ready' || s.kind === 'joining' || s.kind === 'in_call') this.#setState({ ...s, room: this.#room });
  }

  #setState(state: AgentState): void {
    this.#state = state;
    this.#emit('provisioning:changed', state);
    this.#emitAppState();
  }

  #emitAppState(): void {
    this.#emit('app:state-changed', this.#appState());
  }

  #emit<E extends BridgeEventName>(event: E, payload: BridgeEventPayload<E>): void {
    for (const listener of this.#listeners) {
      try {
        listener(event, payload);
      } catch (err) {
        this.#log.error('bridge listener failed', { event, error: (err as Error).message });
      }
    }
  }
}
