/**
 * The schedule: the cached meetings (with their ETag), reconciling them with the server, and the
 * device event stream that tells the agent when to (`schedule_changed`), resuming from the last
 * event id it saw. Events for other capabilities go to the reactions the composition root wires.
 */
import { z } from 'zod';
import type { CommandEventData, DeviceStreamEvent, MessageData } from '../../../src-shared/devices/events.schema';
import type { Schedule } from '../../../src-shared/ipc/room-bridge.contract';
import type { BridgeHandlers } from '../bridge/agent-handlers';
import { realSleep, type Sleep } from '../platform/platform';
import type { AgentContext } from '../runtime/agent-context';
import { storedValue, type StoredValue } from '../runtime/stored-value';
import type { ServerLink } from '../provisioning/provisioning.controller';
import type { DeviceApi } from '../server/device-api';
import { DeviceEventStream } from '../server/device-event-stream';
import {
  clearScheduleCache,
  loadScheduleCache,
  normaliseScheduleBody,
  saveScheduleCache,
  toAgenda,
  type ScheduleCacheDocument,
  type ScheduledMeeting,
} from './room-schedule';

/** Seconds between schedule/config reconciles when the event stream is quiet. */
export const RECONCILE_SECONDS = 300;
/** Schedule window the agent syncs: from 12 h back (today's earlier meetings) to 7 days ahead. */
const SYNC_BACK_HOURS = 12;
const SYNC_AHEAD_DAYS = 7;

/** What the other capabilities do with the stream's events. */
export interface ServerEventReactions {
  configChanged(): Promise<void>;
  message(data: z.infer<typeof MessageData>): void;
  command(data: z.infer<typeof CommandEventData>): Promise<void>;
  revoked(reason: string): Promise<void>;
  /** The stream (re)connected and the schedule is fresh: send what waited. */
  reconnected(): Promise<void>;
}

export interface ScheduleOptions {
  server: ServerLink;
  /** Where meetings without a conference node of their own are joined. */
  conferenceBaseUrl(): string | null;
  earlyJoinSeconds: number;
  reactions: ServerEventReactions;
  sleep?: Sleep;
  random?: () => number;
}

export class ScheduleController {
  #doc: ScheduleCacheDocument;
  #stream: DeviceEventStream | null = null;
  #nextReconcileAt = 0;
  /** The stream's resume point (settings key `lastEventId`), sent as `Last-Event-ID`. */
  readonly #lastEventId: StoredValue<string | null>;

  constructor(
    private readonly ctx: AgentContext,
    private readonly o: ScheduleOptions,
  ) {
    this.#doc = loadScheduleCache(ctx.settings);
    this.#lastEventId = storedValue(ctx.settings, 'lastEventId', z.string(), null);
  }

  get meetings(): readonly ScheduledMeeting[] {
    return this.#doc.meetings;
  }

  get showSubjects(): boolean {
    return this.#doc.showSubjects;
  }

  readonly handlers = {
    'schedule:get': async () => this.agenda(),
  } satisfies Pick<BridgeHandlers, 'schedule:get'>;

  agenda(): Schedule {
    return toAgenda(this.#doc, { now: this.ctx.clock.now(), earlyJoinSeconds: this.o.earlyJoinSeconds, online: this.o.server.online });
  }

  announce(): void {
    this.ctx.events.emit('schedule:changed', this.agenda());
  }

  /** Management's privacy setting, kept with the cache so the offline agenda honours it too. */
  setShowSubjects(showSubjects: boolean): void {
    if (this.#doc.showSubjects === showSubjects) return;
    this.#doc = { ...this.#doc, showSubjects };
    saveScheduleCache(this.ctx.settings, this.#doc);
  }

  async refresh(): Promise<void> {
    const api = this.o.server.api;
    if (!api) return;
    const now = this.ctx.clock.now().getTime();
    const range = {
      from: new Date(now - SYNC_BACK_HOURS * 3600_000).toISOString(),
      to: new Date(now + SYNC_AHEAD_DAYS * 86_400_000).toISOString(),
    };
    this.#nextReconcileAt = now + RECONCILE_SECONDS * 1000;
    try {
      const result = await api.schedule(range, this.#doc.etag);
      this.o.server.setOnline(true);
      const syncedAt = this.ctx.clock.now().toISOString();
      if (result.notModified) {
        this.#doc = { ...this.#doc, syncedAt };
      } else {
        const { meetings, skipped } = normaliseScheduleBody(result.body, this.o.conferenceBaseUrl() ?? api.serverUrl);
        if (skipped > 0) this.ctx.log.warn('schedule items the agent could not read', { skipped, code: 'schedule_item_skipped' });
        this.#doc = { ...this.#doc, meetings, etag: result.etag, syncedAt };
      }
      saveScheduleCache(this.ctx.settings, this.#doc);
      this.announce();
    } catch (err) {
      await this.o.server.serverError(err, 'schedule');
    }
  }

  /** Reconcile: config and schedule again when the stream has been quiet for a while. */
  tick(now: Date): void {
    const t = now.getTime();
    if (t < this.#nextReconcileAt) return;
    this.#nextReconcileAt = t + RECONCILE_SECONDS * 1000;
    this.ctx.work.trackOnce('reconcile', async () => {
      await this.o.reactions.configChanged();
      await this.refresh();
    });
  }

  startStream(api: DeviceApi): void {
    if (this.ctx.work.stopped) return;
    this.#stream = new DeviceEventStream({
      open: (lastEventId, signal) => api.events(lastEventId, signal),
      // A reaction (a command run, a refresh) is the agent's work like any other: idle() and stop()
      // wait for it, including what a command does after its result is reported (a restart).
      onEvent: (event) => this.ctx.work.during(this.#onServerEvent(event)),
      onConnection: (connected) => {
        if (connected) {
          this.o.server.setOnline(true);
          // Whatever happened while we were away: fetch the schedule again.
          this.ctx.work.track(this.refresh().then(() => this.o.reactions.reconnected()));
        }
      },
      onUnauthorized: (err) => this.ctx.work.track(this.o.reactions.revoked(err.message)),
      log: this.ctx.log,
      sleep: this.o.sleep ?? realSleep,
      lastEventId: this.#lastEventId.get(),
      ...(this.o.random ? { random: this.o.random } : {}),
    });
    this.#stream.start();
  }

  /** Stops taking events; returns the stream so the caller can stop it last (it may be the caller). */
  detachStream(): DeviceEventStream | null {
    const stream = this.#stream;
    this.#stream = null;
    return stream;
  }

  async stopStream(): Promise<void> {
    await this.#stream?.stop();
  }

  /** The enrolment is gone: its resume point and its meetings with it. */
  forget(): void {
    this.#lastEventId.clear();
    clearScheduleCache(this.ctx.settings);
    this.#doc = loadScheduleCache(this.ctx.settings);
  }

  async #onServerEvent(event: DeviceStreamEvent): Promise<void> {
    if (event.id) this.#lastEventId.set(event.id);
    const react = this.o.reactions;
    switch (event.type) {
      case 'schedule_changed':
        await this.refresh();
        break;
      case 'config_changed':
        await react.configChanged();
        break;
      case 'message':
        react.message(event.data);
        break;
      case 'command':
        await react.command(event.data);
        break;
      case 'device.revoked':
        await react.revoked(event.data.reason);
        break;
    }
  }
}
