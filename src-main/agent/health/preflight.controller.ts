/**
 * Pre-flight: {@link PREFLIGHT_LEAD_SECONDS} before a meeting, check that the room can take it.
 * Camera and microphone come from the UI (it owns the media devices); conference-node
 * reachability from here. The result goes to management as an extra heartbeat carrying
 * `preflight` (the server keeps the latest per device), with failures also in `recentErrors`
 * (codes `preflight_camera`, `preflight_microphone`, `preflight_conference_node`).
 */
import { randomBytes } from 'node:crypto';
import type { Heartbeat } from '../../../src-shared/devices/heartbeat.schema';
import type { PreflightMediaReport } from '../../../src-shared/ipc/room-bridge.contract';
import { OK, type BridgeHandlers } from '../bridge/agent-handlers';
import type { HttpFetch } from '../platform/platform';
import type { AgentContext } from '../runtime/agent-context';
import type { ScheduledMeeting } from '../schedule/room-schedule';
import type { HealthController } from './health.controller';
import { toPreflight, type NodeProbe } from './preflight-report';

/** Pre-flight this many seconds before a meeting's start. */
export const PREFLIGHT_LEAD_SECONDS = 120;
/** How long the room UI has to answer the media half. */
export const PREFLIGHT_REPORT_TIMEOUT_MS = 15_000;

export interface PreflightOptions {
  fetch: HttpFetch;
  meetings(): readonly ScheduledMeeting[];
  inCall(): boolean;
  earlyJoinSeconds: number;
  health: Pick<HealthController, 'buildHeartbeat' | 'queue' | 'flush'>;
}

export class PreflightController {
  readonly #done = new Set<string>();
  readonly #pending = new Map<string, (report: PreflightMediaReport | null) => void>();

  constructor(
    private readonly ctx: AgentContext,
    private readonly o: PreflightOptions,
  ) {}

  readonly handlers = {
    'preflight:report': async (request) => {
      this.#pending.get(request.requestId)?.(request);
      return OK;
    },
  } satisfies Pick<BridgeHandlers, 'preflight:report'>;

  /** One meeting at a time, never during a call, once per meeting. */
  tick(now: Date): void {
    if (this.o.inCall()) return;
    const t = now.getTime();
    for (const m of this.o.meetings()) {
      const start = Date.parse(m.startTime) - this.o.earlyJoinSeconds * 1000;
      if (this.#done.has(m.id) || start - t > PREFLIGHT_LEAD_SECONDS * 1000 || start <= t) continue;
      this.#done.add(m.id);
      this.ctx.work.track(this.#run(m));
      return;
    }
  }

  /** Shutdown: nobody will answer the checks that wait. */
  abandon(): void {
    for (const settle of this.#pending.values()) settle(null);
  }

  async #run(meeting: ScheduledMeeting): Promise<void> {
    const { log, clock } = this.ctx;
    const requestId = randomBytes(9).toString('base64url');
    const media = new Promise<PreflightMediaReport | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), PREFLIGHT_REPORT_TIMEOUT_MS);
      timer.unref?.();
      this.#pending.set(requestId, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
    this.ctx.events.emit('preflight:request', { requestId, meetingId: meeting.id, startTime: meeting.startTime });
    const [report, node] = await Promise.all([media, this.#probe(meeting.conferenceBaseUrl)]);
    this.#pending.delete(requestId);
    const failures = preflightFailures(report, node);
    const at = clock.now().toISOString();
    for (const f of failures) log.warn(`pre-flight: ${f.message}`, { code: f.code, meetingId: meeting.id });
    log.info('pre-flight done', { meetingId: meeting.id, ok: failures.length === 0, nodeLatencyMs: node.latencyMs });
    const heartbeat = await this.o.health.buildHeartbeat();
    const withPreflight: Heartbeat = {
      ...heartbeat,
      recentErrors: [...(heartbeat.recentErrors ?? []), ...failures.map((f) => ({ at, ...f }))].slice(-20),
      preflight: toPreflight(meeting, at, report, node),
    };
    this.o.health.queue({ kind: 'heartbeat', body: withPreflight });
    await this.o.health.flush();
  }

  async #probe(baseUrl: string): Promise<NodeProbe> {
    const started = performance.now();
    try {
      const response = await this.o.fetch(baseUrl, { method: 'GET', signal: AbortSignal.timeout(5000) });
      await response.body?.cancel();
      return { reachable: true, latencyMs: Math.round(performance.now() - started), error: null };
    } catch (err) {
      return { reachable: false, latencyMs: null, error: (err as Error).message };
    }
  }
}

function preflightFailures(report: PreflightMediaReport | null, node: NodeProbe): Array<{ code: string; message: string }> {
  const failures: Array<{ code: string; message: string }> = [];
  if (!report) failures.push({ code: 'preflight_media', message: 'The room UI did not answer the pre-flight check' });
  else {
    if (!report.camera.ok) failures.push({ code: 'preflight_camera', message: `Camera: ${report.camera.error ?? 'failed'}` });
    if (!report.microphone.ok) failures.push({ code: 'preflight_microphone', message: `Microphone: ${report.microphone.error ?? 'failed'}` });
  }
  if (!node.reachable) failures.push({ code: 'preflight_conference_node', message: `Conference node unreachable: ${node.error ?? ''}`.trim() });
  return failures;
}
