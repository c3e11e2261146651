/**
 * The device agent: everything a room device does besides drawing pixels. This file is its
 * composition root: it builds one controller per capability, each owning its slice of state and
 * the bridge methods it serves, wires what they need of each other, and runs their ticks in a
 * fixed order. The life cycle ({@link AgentState}, diagram in `src-shared/ipc/room-bridge.contract.ts`)
 * lives in one place, `runtime/agent-state.ts`.
 *
 * Time: all scheduled behaviour (auto-join/leave, pre-flight, heartbeats, reconcile, update checks
 * and installs, message expiry) happens in {@link RoomAgent.tick}, which compares the injected
 * clock with what is due. Shells call `tick()` every ½ s; tests move a ManualClock and call it.
 */
import { DEFAULT_MAINTENANCE_WINDOW } from '../../src-shared/devices/common.schema';
import type { AgentState, BridgeEventName } from '../../src-shared/ipc/room-bridge.contract';
import { AgentError, type BridgeHandlers } from './bridge/agent-handlers';
import { CallsController } from './calls/calls.controller';
import { CommandsController } from './commands/commands.controller';
import { HealthController } from './health/health.controller';
import { PreflightController } from './health/preflight.controller';
import { AdminExitController } from './kiosk/admin-exit.controller';
import { ScreenMessagesController } from './messages/screen-messages.controller';
import { parseActivationUrl, parseJoinUrl } from './provisioning/provisioning';
import { ProvisioningController } from './provisioning/provisioning.controller';
import type { AgentContext } from './runtime/agent-context';
import { AgentEvents, type AgentListener } from './runtime/agent-events';
import { AgentStateStore } from './runtime/agent-state';
import { BackgroundWork } from './runtime/background-work';
import { ScheduleController } from './schedule/schedule.controller';
import type { RoomAgentOptions } from './room-agent.options';
import { RoomSettingsController } from './settings/room-settings.controller';
import { StaffSessionController } from './staff/staff-session.controller';
import { UpdatesController } from './updates/updates.controller';

export type { RoomAgentOptions } from './room-agent.options';

/** One step of the agent's tick. */
interface Ticking {
  tick(now: Date): void | Promise<void>;
}

export class RoomAgent {
  readonly #ctx: AgentContext;
  readonly #c: { provisioning: ProvisioningController; schedule: ScheduleController; calls: CallsController; messages: ScreenMessagesController; preflight: PreflightController; staff: StaffSessionController };
  /** The tick order: see {@link RoomAgent.tick}. */
  readonly #tickOrder: readonly Ticking[];
  #ticking: Promise<void> | null = null;

  /** The bridge methods (validated requests in, responses out; throws `AgentError`), merged from the controllers. */
  readonly handlers: BridgeHandlers;

  constructor(o: RoomAgentOptions) {
    const events = new AgentEvents(o.log);
    const state = new AgentStateStore(events);
    const ctx: AgentContext = { clock: o.clock, log: o.log, settings: o.settings, events, state, work: new BackgroundWork(o.log) };
    const earlyJoinSeconds = o.earlyJoinSeconds ?? 0;

    const settings = new RoomSettingsController(ctx);
    const messages = new ScreenMessagesController(ctx);
    const provisioning: ProvisioningController = new ProvisioningController(ctx, {
      fetch: o.fetch, secrets: o.secrets, system: o.system, shell: o.shell, defaultServerUrl: o.defaultServerUrl, zeroTouch: o.zeroTouch ?? null,
      showSubjects: () => schedule.showSubjects,
      hooks: {
        configApplied: (config) => { health.setInterval(config.heartbeatIntervalSeconds); schedule.setShowSubjects(config.privacy.showSubjects); },
        connected: async (deviceApi) => { await schedule.refresh(); schedule.startStream(deviceApi); health.heartbeatNow(); updates.connected(); },
        leaveCall: () => calls.requestLeave('reprovision'),
        // The stream is stopped last: stop() waits for the stream loop, which may be what is deprovisioning.
        detach: () => { const stream = schedule.detachStream(); calls.drop(); return () => { schedule.announce(); void stream?.stop(); }; },
        wiped: () => { schedule.forget(); health.forget(); },
        onlineChanged: () => { state.announce(); schedule.announce(); },
      },
    });
    const schedule: ScheduleController = new ScheduleController(ctx, {
      server: provisioning, earlyJoinSeconds, sleep: o.sleep, random: o.random,
      conferenceBaseUrl: () => provisioning.room?.conferenceBaseUrl ?? null,
      reactions: {
        configChanged: () => provisioning.refreshConfig(),
        message: (data) => messages.show(data),
        command: (command) => commands.run(command),
        revoked: (reason) => provisioning.revoked(reason),
        reconnected: () => health.flush(),
      },
    });
    const health: HealthController = new HealthController(ctx, {
      system: o.system, shell: o.shell, server: provisioning, settings: () => settings.current, call: () => calls.heartbeatView(),
      update: () => updates.heartbeatState(), recentErrors: () => o.recentErrors?.() ?? [],
    });
    const calls: CallsController = new CallsController(ctx, {
      shell: o.shell, earlyJoinSeconds, autoJoin: o.autoJoin ?? o.shell.mode === 'kiosk',
      // A desktop without an enrolment reports nothing: its calls are the person's, not a device's.
      health: { heartbeatNow: () => health.heartbeatNow(), report: (item) => (provisioning.record ? health.report(item) : undefined) },
      requireRoom: () => {
        if (provisioning.room || o.shell.mode !== 'desktop') return provisioning.requireRoom();
        const room = staff.room;
        if (!room) throw new AgentError('signed_out', 'Du er ikke logget ind.');
        return room;
      },
      room: () => provisioning.room ?? staff.room,
      meetings: () => schedule.meetings,
    });
    // Desktop: the person's sign-in is the identity of a desktop without an enrolment (decision 0017).
    const staff: StaffSessionController = new StaffSessionController(ctx, {
      fetch: o.fetch, secrets: o.secrets, browser: o.browser ?? null, serverUrl: o.defaultServerUrl, enabled: o.shell.mode === 'desktop',
      locale: () => locale(),
      join: (target) => calls.joinTarget(target),
      leaveCall: () => calls.requestLeave('manual'),
      changed: () => {
        if (provisioning.record) return state.announce();
        const room = staff.room;
        if (!room) {
          calls.drop();
          state.set({ kind: 'signed_out' });
        } else if (calls.phase === 'idle') state.set({ kind: 'ready', room });
        else state.announce();
      },
    });
    const updates: UpdatesController = new UpdatesController(ctx, {
      driver: o.updates, earlyJoinSeconds, callPhase: () => calls.phase, meetings: () => schedule.meetings, changed: () => state.announce(),
      maintenanceWindow: () => provisioning.config?.maintenanceWindow ?? DEFAULT_MAINTENANCE_WINDOW,
    });
    const preflight = new PreflightController(ctx, { fetch: o.fetch, meetings: () => schedule.meetings, inCall: () => calls.phase !== 'idle', earlyJoinSeconds, health });
    const commands = new CommandsController(ctx, {
      shell: o.shell, health, updates, messages, calls, collectLogs: (options) => o.collectLogs(options), enrolled: () => provisioning.api !== null,
      reprovision: async (wipe) => {
        if (wipe) return provisioning.deprovision(null);
        await provisioning.refreshConfig();
        await schedule.refresh();
      },
    });
    const adminExit = new AdminExitController(ctx, o.shell, o.adminExitPin ?? null);

    const { shell, mode, appVersion } = o.shell;
    const locale = () => settings.current.locale ?? provisioning.room?.locale ?? 'da';
    state.useFrame(() => ({
      update: updates.state, online: provisioning.record || mode !== 'desktop' ? provisioning.online : staff.online, shell, mode, appVersion, locale: locale(), staff: staff.state,
    }));
    this.handlers = {
      ...provisioning.handlers, ...schedule.handlers, ...calls.handlers, ...preflight.handlers, ...health.handlers,
      ...settings.handlers, ...state.handlers, ...adminExit.handlers, ...messages.handlers, ...staff.handlers,
    };
    this.#ctx = ctx;
    this.#c = { provisioning, schedule, calls, messages, preflight, staff };
    // Messages expire first; calls (timeouts, then join/leave) before anything that asks whether
    // the room is in a call; network work (heartbeat, reconcile, update check) runs beside the
    // tick and never delays the next one; an install is decided last, on the final call state.
    this.#tickOrder = [messages, calls, preflight, health, schedule, updates];
  }

  /** Receives every bridge event the agent emits (the shells forward them to the UI). */
  onEvent(listener: AgentListener): () => void {
    return this.#ctx.events.on(listener);
  }

  get state(): AgentState {
    return this.#ctx.state.current;
  }

  /** Where updates come from: the enrolled server and the room's channel (null before enrolment). */
  get updateFeed(): { serverUrl: string; channel: string } | null {
    const record = this.#c.provisioning.record;
    return record ? { serverUrl: record.serverUrl, channel: this.#c.provisioning.config?.updateChannel ?? 'stable' } : null;
  }

  get serverUrl(): string | null {
    return this.#c.provisioning.record?.serverUrl ?? this.#c.provisioning.defaultServerUrl;
  }

  /** Loads the stored enrolment (or runs zero-touch) and starts syncing; a desktop restores its person's sign-in. */
  async start(): Promise<void> {
    await this.#c.provisioning.start();
    await this.#c.staff.start();
  }

  async stop(): Promise<void> {
    this.#ctx.work.stop();
    this.#c.preflight.abandon();
    await this.#c.schedule.stopStream();
    await this.#ctx.work.settle();
  }

  /** Waits until background work (event handling, reports) has settled. For tests and shutdown. */
  idle(): Promise<void> {
    return this.#ctx.work.idle();
  }

  /** Runs everything that is due now, in {@link #tickOrder}. Never runs twice at once. */
  tick(): Promise<void> {
    this.#ticking ??= this.#tick().finally(() => {
      this.#ticking = null;
    });
    return this.#ticking;
  }

  async #tick(): Promise<void> {
    if (this.#ctx.work.stopped) return;
    const now = this.#ctx.clock.now();
    this.#c.staff.tick(now);
    // Without an enrolment only a signed-in desktop has anything to run: its messages and calls.
    const steps = this.#c.provisioning.record ? this.#tickOrder : this.#c.staff.room ? [this.#c.messages, this.#c.calls] : [];
    for (const step of steps) {
      const pending = step.tick(now);
      if (pending) await pending; // only the calls step awaits (a join); the rest stay in one turn
    }
  }

  /** Events a freshly connected UI needs beyond `app:state`/`schedule:get`: messages on screen, a join in progress. */
  replayEvents(): Array<{ event: BridgeEventName; payload: unknown }> {
    const join = this.#c.calls.replay();
    return [...this.#c.messages.replay(), ...(join ? [{ event: 'call:command' as const, payload: join }] : [])];
  }

  /** The UI went away (renderer crash, page closed): a call it was running is over. */
  rendererGone(): void {
    this.#c.calls.rendererGone();
  }

  /** Opened with a `vdxroom://` URL (protocol handler, second instance). */
  async openUrl(url: string): Promise<void> {
    if (parseActivationUrl(url)) {
      await this.handlers['provisioning:activate']({ url });
      return;
    }
    const join = parseJoinUrl(url);
    if (join) await this.#c.calls.joinLink(join.alias, join.pin);
  }
}
