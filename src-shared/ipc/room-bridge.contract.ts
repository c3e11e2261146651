/**
 * The room bridge: the one contract between the room UI (`src-renderer/room`, sandboxed, no Node)
 * and the device agent (`src-main/agent`, running in Electron main or in the Chromium shell's Node
 * process).
 *
 * Both shells carry the same messages:
 * - Electron: the preload exposes `window.vdxRoom` (a {@link RoomBridge}); every call goes over
 *   `ipcRenderer.invoke(channel, request)` and comes back as a {@link BridgeResult} envelope.
 * - Chromium: the page connects to a loopback WebSocket whose port and per-launch token arrive in
 *   the URL fragment (`#bridge=<port>&token=<token>`); frames are {@link BridgeWireMessage}s.
 * `src-shared/ipc/room-bridge.client.ts` hides the difference: `resolveRoomBridge()` gives the UI a
 * `RoomBridge` either way.
 *
 * Rules
 * - Channel names are `capability:method` (methods) and `capability:event` (events).
 * - Every request is validated by the agent side against {@link bridgeMethods}`[channel].request`
 *   before anything acts on it; every event payload is validated before it is sent.
 * - Failures reject with a {@link BridgeError} `{code, message}` (never an `Error` subclass): UIs
 *   branch on `code`, and show `message` (Danish by default) only as a fallback.
 * - Secrets never cross the bridge: the device credential and access tokens stay in the agent.
 *   The conference PIN does cross (the renderer must send it to the conference node to join).
 *
 * Long-lived state (the agent's life cycle) is the discriminated union {@link AgentState}, sent whole
 * in `app:state-changed` whenever it changes, so the UI renders a state rather than juggling flags:
 *
 * ```
 *   unprovisioned ──activate──▶ enrolling ──ok──▶ ready ◀─────────────────────────────┐
 *     ▲   ▲                        │ fail           │ schedule / manual / command / link │
 *     │   └──── (lastError) ◀──────┘                ▼                                    │
 *     │                                          joining ──call:connected──▶ in_call    │
 *     │                  call:failed / join timeout │                           │        │
 *     │                                             └───────────────────────────┴────────┘
 *     │                                                      call:ended / leave timeout
 *     └──── reprovision / revoked (from any enrolled state)
 * ```
 *
 * A desktop without an enrolment starts `signed_out` instead: the person's sign-in is its identity
 * (the staff session below, {@link StaffSession}). Signed in, it is `ready` with a "room" made of
 * the person (their name is what the others in a call see) and joins like any room:
 *
 * ```
 *   signed_out ──staff:sign-in ok──▶ ready ⇄ joining ⇄ in_call
 *       ▲                              │
 *       └── staff:sign-out / sign-in expired (refresh refused)
 * ```
 *
 * There is no error state, on purpose: an unreachable server is `ready` with `online: false` (the
 * room keeps working from its cache), a failed activation is `unprovisioned` with `lastError`, and
 * a failed join goes back to `ready` and counts towards that meeting's attempts.
 */
import { z } from 'zod';
import { Locale, Timestamp } from '../devices/common.schema';
import { MessageData } from '../devices/events.schema';
import { Peripherals } from '../devices/heartbeat.schema';
import { Theme } from '../devices/themes.schema';

// The device fleet's own schemas where the bridge carries the same value the server sends or
// receives (timestamps, the room's UI language, peripherals, the theme): one definition, one wire
// format. Shapes the agent reshapes for the UI (call quality, update state, call summary) stay
// separate below on purpose.
export { Locale, Peripherals, Theme, Timestamp };

// ─── shared value types ─────────────────────────────────────────────────────────────────────────

/** Error codes the UI can branch on. */
export const BridgeErrorCode = z.enum([
  /** The request did not match the contract (a bug in the caller). */
  'invalid_request',
  /** No such channel. */
  'unknown_method',
  /** The activation code or URL is malformed, unknown, used, revoked or expired. */
  'invalid_activation_code',
  /** The action needs an enrolled device. */
  'not_provisioned',
  /** `provisioning:activate` while already enrolled (re-provisioning is a management command). */
  'already_provisioned',
  /** Another call is running or being joined (never two calls at once). */
  'busy',
  /** No call to act on (e.g. `call:leave` when idle). */
  'not_in_call',
  /** The meeting is unknown or no longer on the agenda. */
  'meeting_not_found',
  /** The server cannot be reached (and no cached answer helps). */
  'offline',
  /** The server answered with an error. */
  'server_error',
  /** Kiosk admin exit: wrong PIN, or admin exit not configured. */
  'invalid_pin',
  /** Desktop: the action needs a signed-in person (nobody is, or the sign-in has expired). */
  'signed_out',
  /** Desktop: the browser sign-in did not finish (cancelled, refused, timed out, or a forged answer). */
  'sign_in_failed',
  /** Anything else; a bug. */
  'internal',
]);
export type BridgeErrorCode = z.infer<typeof BridgeErrorCode>;

/** What every failed bridge call rejects with. */
export const BridgeError = z.object({
  code: BridgeErrorCode,
  /** Human-readable, Danish by default; for logs and fallback display. */
  message: z.string(),
});
export type BridgeError = z.infer<typeof BridgeError>;

/** Type guard for rejections from a bridge call. */
export function isBridgeError(value: unknown): value is BridgeError {
  return BridgeError.safeParse(value).success;
}

/** What the UI needs to know about the room this device belongs to (from `GET /device/v1/me/config`). */
export const RoomInfo = z.object({
  deviceId: z.string(),
  roomId: z.string(),
  roomName: z.string(),
  /** Organisation code (e.g. an EAN/SOR code), for display only. */
  organisation: z.string().nullable(),
  /** Management's theme (colours, logo, background, welcome text), as in the device config. */
  theme: Theme.nullable(),
  /** Privacy: when false the agenda shows meetings without their subject. */
  showSubjects: z.boolean(),
  /** The room's configured UI language; `settings:set` can override it locally. */
  locale: Locale,
  /** Base URL of the conference node (Pexip client API) the room joins through. */
  conferenceBaseUrl: z.string(),
});
export type RoomInfo = z.infer<typeof RoomInfo>;

/** One meeting on the room's agenda. */
export const AgendaMeeting = z.object({
  /** The meeting's id (VDX booking uuid). */
  id: z.string(),
  /** `null` when the room hides subjects (privacy) or the meeting has none. */
  subject: z.string().nullable(),
  startTime: Timestamp,
  endTime: Timestamp,
  /** The VMR alias to dial (`uri` in VDX terms). */
  alias: z.string(),
  /** The room's role in this meeting. */
  role: z.enum(['host', 'guest']),
  /** Whether a PIN is needed to join (the PIN itself stays in the agent until `call:command`). */
  pinRequired: z.boolean(),
  /** The agent leaves at `endTime` when true. */
  endMeetingOnEndTime: z.boolean(),
  /** When the agent will join by itself (start − early-join seconds); `null` = no auto-join. */
  autoJoinAt: Timestamp.nullable(),
});
export type AgendaMeeting = z.infer<typeof AgendaMeeting>;

/** The agenda as the agent knows it. */
export const Schedule = z.object({
  /** Sorted by `startTime`; today's and upcoming meetings in the agent's sync window. */
  meetings: z.array(AgendaMeeting),
  /** When the agent last got this list from the server (`null` = never). */
  syncedAt: Timestamp.nullable(),
  /** `cache` when the server is unreachable and the list is the on-disk copy. */
  source: z.enum(['live', 'cache']),
});
export type Schedule = z.infer<typeof Schedule>;

/** A call as the agent tracks it. */
export const CallInfo = z.object({
  /** `null` for an ad-hoc call (desktop "join by address"). */
  meetingId: z.string().nullable(),
  alias: z.string(),
  /** Who started it: the scheduler, a person at the device, or IT via a command. */
  reason: z.enum(['schedule', 'manual', 'command', 'link']),
  /** Scheduled end, when known. */
  endTime: Timestamp.nullable(),
});
export type CallInfo = z.infer<typeof CallInfo>;

/**
 * The agent's life cycle (see the diagram at the top). `ready` is "idle": enrolled, not in a call.
 */
export const AgentState = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('unprovisioned'),
    /** Why the last activation failed (shown on the activation screen), if it did. */
    lastError: BridgeError.nullable(),
  }),
  z.object({ kind: z.literal('enrolling'), serverUrl: z.string() }),
  /** Desktop without an enrolment and nobody signed in (see {@link StaffSession}). */
  z.object({ kind: z.literal('signed_out') }),
  z.object({ kind: z.literal('ready'), room: RoomInfo }),
  z.object({ kind: z.literal('joining'), room: RoomInfo, call: CallInfo, since: Timestamp }),
  z.object({ kind: z.literal('in_call'), room: RoomInfo, call: CallInfo, since: Timestamp }),
]);
export type AgentState = z.infer<typeof AgentState>;
export type AgentStateKind = AgentState['kind'];

/** The update life cycle, for a discreet indicator (IT sees the same in management). */
export const UpdateState = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('idle') }),
  z.object({ kind: z.literal('checking') }),
  z.object({ kind: z.literal('downloading'), version: z.string(), percent: z.number().min(0).max(100) }),
  /** Downloaded; waiting for the room to be idle inside the maintenance window. */
  z.object({ kind: z.literal('pending_install'), version: z.string() }),
  z.object({ kind: z.literal('installing'), version: z.string() }),
  z.object({ kind: z.literal('error'), message: z.string() }),
  /** The shell cannot update itself (Chromium shell, development). */
  z.object({ kind: z.literal('unsupported') }),
]);
export type UpdateState = z.infer<typeof UpdateState>;

/** The signed-in person as the desktop shows them (from the ID token; never a token). */
export const StaffPerson = z.object({
  name: z.string(),
  email: z.string(),
  /** Organisation code, for display. */
  organisation: z.string().nullable(),
});
export type StaffPerson = z.infer<typeof StaffPerson>;

/**
 * The desktop's staff session (a clinician signed in through OpenID Connect in the system browser;
 * decision 0017). Tokens never cross the bridge: the refresh token is in the OS keychain, the
 * access token in the agent's memory.
 *
 * ```
 *   signed_out ──sign-in──▶ signing_in ──browser came back, code redeemed──▶ signed_in
 *     ▲  ▲                      │ cancelled / refused / timed out / offline     │  ▲
 *     │  └────(lastError)───────┘                              no answer ▼  │ answers again
 *     │                                                                 unreachable
 *     └── sign-out (revoked at the server, deleted here) / refresh refused (lastError) ──┘
 * ```
 */
export const StaffSession = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('signed_out'),
    /** Why the last sign-in failed or ended by itself (expired, offline), if it did. */
    lastError: BridgeError.nullable(),
  }),
  /** The sign-in page is open in the system browser; waiting for it to come back. */
  z.object({ kind: z.literal('signing_in'), since: Timestamp }),
  z.object({ kind: z.literal('signed_in'), person: StaffPerson }),
  /** Signed in (the refresh token is kept), but the server does not answer; retried on its own. */
  z.object({ kind: z.literal('unreachable'), person: StaffPerson }),
]);
export type StaffSession = z.infer<typeof StaffSession>;

/** One of the person's meetings today (Europe/Copenhagen), from the booking API. */
export const StaffMeeting = z.object({
  /** The meeting's uuid. */
  id: z.string(),
  subject: z.string(),
  startTime: Timestamp,
  endTime: Timestamp,
  /** `uriWithDomain`: the address to dial. */
  alias: z.string(),
  /** When the meeting's room opens (start − vmrAvailableBefore); joining before that fails. */
  opensAt: Timestamp.nullable(),
  /** Whether the host needs a PIN (the agent fills it in; the PIN itself stays in the agent until the join). */
  hostPinRequired: z.boolean(),
});
export type StaffMeeting = z.infer<typeof StaffMeeting>;

export const StaffMeetings = z.object({
  /** Sorted by start time. */
  meetings: z.array(StaffMeeting),
  fetchedAt: Timestamp,
});
export type StaffMeetings = z.infer<typeof StaffMeetings>;

/** Everything the UI needs to draw its frame, in one snapshot. */
export const AppState = z.object({
  agent: AgentState,
  update: UpdateState,
  /** Whether the agent currently reaches the server. */
  online: z.boolean(),
  shell: z.enum(['electron', 'chromium']),
  /** `kiosk`: fixed room device; `desktop`: a clinician's own computer (join by address). */
  mode: z.enum(['kiosk', 'desktop']),
  appVersion: z.string(),
  /** Effective UI language (local setting, else the room's, else Danish). */
  locale: Locale,
  /** Desktop mode: the person's sign-in; `null` on a kiosk. */
  staff: StaffSession.nullable().default(null),
});
export type AppState = z.infer<typeof AppState>;

/** Local, per-device preferences (remembered across restarts; never sent to the server). */
export const Settings = z.object({
  cameraId: z.string().nullable(),
  microphoneId: z.string().nullable(),
  speakerId: z.string().nullable(),
  /** `null`: follow the room's locale. */
  locale: Locale.nullable(),
});
export type Settings = z.infer<typeof Settings>;

/** Live call quality from the renderer's `RTCPeerConnection.getStats()` (inbound video/audio). */
export const CallQuality = z.object({
  /** Inbound packet loss in percent over the last sampling interval. */
  packetLossPercent: z.number().min(0).max(100),
  jitterMs: z.number().min(0),
  /** Inbound bitrate, kilobits per second. */
  bitrateKbps: z.number().min(0),
  /** Outbound bitrate, kilobits per second. */
  sendBitrateKbps: z.number().min(0).nullable(),
  roundTripMs: z.number().min(0).nullable(),
  width: z.number().int().min(0).nullable(),
  height: z.number().int().min(0).nullable(),
  frameRate: z.number().min(0).nullable(),
  /** Freezes counted by the browser (`freezeCount`) since the call began. */
  freezeCount: z.number().int().min(0),
});
export type CallQuality = z.infer<typeof CallQuality>;

/** What the renderer reports when a call ends. Averages over the call. */
export const CallSummary = z.object({
  alias: z.string(),
  meetingId: z.string().nullable(),
  startedAt: Timestamp,
  endedAt: Timestamp,
  /** Why it ended: we left, the far end / node ended it, or it failed. */
  endReason: z.enum(['local_hangup', 'remote_disconnect', 'error']),
  avgPacketLossPercent: z.number().min(0).max(100),
  avgJitterMs: z.number().min(0),
  avgBitrateKbps: z.number().min(0),
  avgFrameRate: z.number().min(0).nullable(),
  freezeCount: z.number().int().min(0),
  /** Total frozen time (`totalFreezesDuration`), seconds. */
  freezeSeconds: z.number().min(0),
  maxParticipants: z.number().int().min(0),
});
export type CallSummary = z.infer<typeof CallSummary>;

/**
 * Peripherals present and in use (`enumerateDevices()`; `id` = `deviceId`), for health reports:
 * the heartbeat's own schema, re-exported above.
 */
export type PeripheralsReport = z.infer<typeof Peripherals>;

/** Result of one local media check in the pre-flight. */
export const MediaCheck = z.object({
  ok: z.boolean(),
  /** The device that was tested, if any. */
  deviceLabel: z.string().nullable(),
  /** e.g. `NotAllowedError`, `NotFoundError`, `no_signal` */
  error: z.string().nullable(),
});
export type MediaCheck = z.infer<typeof MediaCheck>;

/** The renderer's half of a pre-flight check (the agent adds conference-node reachability). */
export const PreflightMediaReport = z.object({
  requestId: z.string(),
  camera: MediaCheck,
  microphone: MediaCheck,
});
export type PreflightMediaReport = z.infer<typeof PreflightMediaReport>;

/** Agent → UI: join or leave a call now. The UI does the actual call through `@pexip/infinity`. */
export const CallCommand = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('join'),
    meetingId: z.string().nullable(),
    alias: z.string(),
    /** The PIN for the room's role; `null` when the VMR needs none. */
    pin: z.string().nullable(),
    /** Base URL for `@pexip/infinity` (`{base}/api/client/v2/conferences/{alias}/...`). */
    conferenceBaseUrl: z.string(),
    /** The name other participants see (the room's name). */
    displayName: z.string(),
    reason: CallInfo.shape.reason,
    endTime: Timestamp.nullable(),
  }),
  z.object({
    action: z.literal('leave'),
    reason: z.enum(['schedule_end', 'manual', 'command', 'reprovision']),
  }),
]);
export type CallCommand = z.infer<typeof CallCommand>;

/** A message IT shows on the room's screen. */
export const ScreenMessage = z.object({
  id: z.string(),
  text: z.string(),
  /** As in the device event stream's `message`. */
  severity: MessageData.shape.severity,
  /** Hide it after this moment; `null` = until replaced or dismissed. */
  expiresAt: Timestamp.nullable(),
});
export type ScreenMessage = z.infer<typeof ScreenMessage>;

// ─── methods (renderer → agent) ─────────────────────────────────────────────────────────────────

const Empty = z.object({}).strict();
/** The response of methods that only acknowledge. */
export const Ack = z.object({ ok: z.literal(true) });
export type Ack = z.infer<typeof Ack>;

/**
 * Every method: channel → request and response schema. The agent validates the request, the
 * client validates the response; both sides share the inferred types.
 */
export const bridgeMethods = {
  /** Enrol with an activation code typed on the screen, or a `vdxroom://activate?server&code` URL. */
  'provisioning:activate': {
    request: z.union([
      z.object({
        code: z.string().min(4).max(64),
        /** Server to enrol with; defaults to the one the app was started against. */
        serverUrl: z.string().url().optional(),
      }).strict(),
      z.object({ url: z.string().startsWith('vdxroom://') }).strict(),
    ]),
    /** The state once enrolment has finished (`ready`), or rejects (`invalid_activation_code`, `offline`). */
    response: AgentState,
  },
  /** The current life-cycle state. */
  'provisioning:state': { request: Empty, response: AgentState },
  /** The agenda (live, or the on-disk cache when offline). */
  'schedule:get': { request: Empty, response: Schedule },
  /**
   * Join a meeting on the agenda, or an address (desktop / `vdxroom://join` link). The agent
   * answers with the join it decided on and also sends it as `call:command`; rejects `busy` when a
   * call is running, `meeting_not_found`, `not_provisioned`.
   */
  'call:join': {
    request: z.union([
      z.object({ meetingId: z.string().min(1) }).strict(),
      z.object({ alias: z.string().min(1).max(200), pin: z.string().max(20).optional() }).strict(),
    ]),
    response: CallCommand,
  },
  /** The renderer connected to the conference (after a `call:command` join). */
  'call:connected': { request: z.object({ alias: z.string() }).strict(), response: Ack },
  /** Joining failed (wrong PIN, node unreachable ...). Back to `ready`. */
  'call:failed': { request: z.object({ alias: z.string(), error: BridgeError }).strict(), response: Ack },
  /** A person pressed "leave". The agent answers with `call:command {action:'leave'}`; the UI hangs up and sends `call:ended`. */
  'call:leave': { request: Empty, response: Ack },
  /** Live quality, every few seconds while in a call; goes into the next heartbeat. */
  'call:report-stats': { request: z.object({ quality: CallQuality }).strict(), response: Ack },
  /** The call is over (any reason); the summary goes to the server. State returns to `ready`. */
  'call:ended': { request: z.object({ summary: CallSummary }).strict(), response: Ack },
  /** The renderer's answer to a `preflight:request` event. */
  'preflight:report': { request: PreflightMediaReport.strict(), response: Ack },
  /** Cameras/microphones/speakers present and selected; sent at start and on `devicechange`. */
  'media:report-devices': { request: Peripherals.strict(), response: Ack },
  'settings:get': { request: Empty, response: Settings },
  /** Partial update; returns the result. */
  'settings:set': { request: Settings.partial().strict(), response: Settings },
  /** The whole app snapshot (agent state, update state, connectivity, shell, mode). */
  'app:state': { request: Empty, response: AppState },
  /** Kiosk admin exit after `app:admin-exit-requested`; rejects `invalid_pin`. Quits the app on success. */
  'app:admin-exit': { request: z.object({ pin: z.string().max(32) }).strict(), response: Ack },
  /** Dismiss a screen message before it expires. */
  'message:dismiss': { request: z.object({ id: z.string() }).strict(), response: Ack },
  /**
   * Desktop: sign in in the system browser (loopback redirect, PKCE). Resolves once the browser
   * came back and the tokens are in; rejects `sign_in_failed`, `offline`. A new call while one is
   * waiting abandons the old one (the person closed that browser tab).
   */
  'staff:sign-in': { request: Empty, response: StaffSession },
  /** Desktop: sign out (a running call is left, the refresh token revoked at the server and deleted here). */
  'staff:sign-out': { request: Empty, response: StaffSession },
  'staff:state': { request: Empty, response: StaffSession },
  /** Desktop: the person's meetings starting today in Europe/Copenhagen; rejects `signed_out`, `offline`. */
  'staff:meetings-today': { request: Empty, response: StaffMeetings },
  /** Desktop: join one of those meetings as its host, the host PIN filled in; answers like `call:join`. */
  'staff:join-as-host': { request: z.object({ meetingId: z.string().min(1).max(100) }).strict(), response: CallCommand },
} as const;

export type BridgeMethodName = keyof typeof bridgeMethods;
export type BridgeRequest<M extends BridgeMethodName> = z.input<(typeof bridgeMethods)[M]['request']>;
export type BridgeResponse<M extends BridgeMethodName> = z.output<(typeof bridgeMethods)[M]['response']>;
export const BRIDGE_METHOD_NAMES = Object.keys(bridgeMethods) as BridgeMethodName[];

// ─── events (agent → renderer) ──────────────────────────────────────────────────────────────────

export const bridgeEvents = {
  /** Provisioning state changed (same payload as `provisioning:state`). */
  'provisioning:changed': AgentState,
  /** The agenda changed (server push, reconcile, or going offline/online). */
  'schedule:changed': Schedule,
  /** Join or leave now. */
  'call:command': CallCommand,
  /** Run the local half of a pre-flight check and answer with `preflight:report`. */
  'preflight:request': z.object({ requestId: z.string(), meetingId: z.string(), startTime: Timestamp }),
  /** Show a message from IT. */
  'message:show': ScreenMessage,
  /** Remove a message (dismissed or replaced). */
  'message:hide': z.object({ id: z.string() }),
  /** Any part of the app snapshot changed. */
  'app:state-changed': AppState,
  /** Kiosk: the admin key combination was pressed; show the PIN prompt. */
  'app:admin-exit-requested': z.object({}),
  /** Local settings changed (from another window or a command). */
  'settings:changed': Settings,
} as const;

export type BridgeEventName = keyof typeof bridgeEvents;
export type BridgeEventPayload<E extends BridgeEventName> = z.output<(typeof bridgeEvents)[E]>;
export const BRIDGE_EVENT_NAMES = Object.keys(bridgeEvents) as BridgeEventName[];

// ─── the renderer-side API ──────────────────────────────────────────────────────────────────────

type Capability<C extends string> = C extends `${infer Cap}:${string}` ? Cap : never;
type MethodOf<Cap extends string, C extends string> = C extends `${Cap}:${infer M}` ? M : never;
type CamelCase<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;

/**
 * What the room UI holds: one function per method, grouped by capability with camel-cased names
 * (`bridge.provisioning.activate({code})`, `bridge.call.reportStats({quality})`), plus `on`.
 * Every function returns a promise that rejects with a {@link BridgeError}.
 */
export type RoomBridge = {
  [Cap in Capability<BridgeMethodName>]: {
    [M in MethodOf<Cap, BridgeMethodName> as CamelCase<M>]: (
      request: BridgeRequest<`${Cap}:${M}` & BridgeMethodName>,
    ) => Promise<BridgeResponse<`${Cap}:${M}` & BridgeMethodName>>;
  };
} & {
  /** Subscribe to an event; returns the function that unsubscribes. */
  on<E extends BridgeEventName>(event: E, listener: (payload: BridgeEventPayload<E>) => void): () => void;
};

/** `call:report-stats` → `['call', 'reportStats']`. */
export function bridgeMethodPath(channel: BridgeMethodName): [string, string] {
  const [cap, method] = channel.split(':') as [string, string];
  return [cap, method.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())];
}

// ─── the envelopes on the wire ──────────────────────────────────────────────────────────────────

/** What an Electron IPC handler returns (IPC turns thrown errors into opaque strings). */
export const BridgeResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), response: z.unknown() }),
  z.object({ ok: z.literal(false), error: BridgeError }),
]);
export type BridgeResult = z.infer<typeof BridgeResult>;

/**
 * Chromium shell frames (JSON text over the loopback WebSocket
 * `ws://127.0.0.1:<port>/bridge?token=<token>`; the server closes with 4401 on a bad token).
 */
export const BridgeWireMessage = z.discriminatedUnion('type', [
  /** page → agent */
  z.object({ type: z.literal('invoke'), id: z.number().int(), channel: z.string(), request: z.unknown() }),
  /** agent → page: the answer to `invoke` `id` */
  z.object({ type: z.literal('result'), id: z.number().int(), result: BridgeResult }),
  /** agent → page */
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
]);
export type BridgeWireMessage = z.infer<typeof BridgeWireMessage>;

/** Name of the global the Electron preload exposes the bridge under (`window.vdxRoom`). */
export const ROOM_BRIDGE_GLOBAL = 'vdxRoom';
/** The Electron IPC channel events arrive on (payload `{event, payload}`). */
export const BRIDGE_EVENT_IPC_CHANNEL = 'bridge:event';
