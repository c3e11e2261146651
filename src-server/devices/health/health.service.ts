import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { DeviceStatus } from '../../../src-shared/devices/devices.schema';
import type { FleetSummary } from '../../../src-shared/devices/health.schema';
import { preflightPassed, type CallSummary, type HeartbeatAck, type ParsedHeartbeat } from '../../../src-shared/devices/heartbeat.schema';
import type { HealthPoint } from '../../../src-shared/devices/health.schema';
import { badRequest } from '../../http/errors';
import { toJson, type FleetContext } from '../device-fleet.context';
import type { DeviceTable } from '../devices.tables';
import type { DevicesService } from '../devices.service';
import { VIDEO_QUALITY_BAR, degradedReasons, isGoodCall, percentUsed } from './degradation';

const DAY_MS = 24 * 3600_000;
/** Pruning runs at most this often, piggy-backed on heartbeats (no timer to manage). */
const PRUNE_EVERY_MS = 3600_000;
/** Longest health window one request may ask for. */
const MAX_HEALTH_WINDOW_MS = 31 * DAY_MS;
const MAX_POINTS = 5000;

/**
 * Device health: heartbeats (latest state + a pruned time series), call summaries and the
 * fleet summary with the video-quality KPI.
 */
export class HealthService {
  #lastPrune = 0;

  constructor(
    private readonly ctx: FleetContext,
    private readonly devices: DevicesService,
  ) {}

  async heartbeat(device: Selectable<DeviceTable>, hb: ParsedHeartbeat): Promise<HeartbeatAck> {
    const now = this.ctx.clock.now();
    const at = now.toISOString();
    const storedPreflight = device.last_preflight ? (JSON.parse(device.last_preflight) as { ok: boolean }) : null;
    const reasons = degradedReasons(hb, hb.preflight ? preflightPassed(hb.preflight) : (storedPreflight?.ok ?? null));
    const inCall = hb.callState.state === 'in_call';
    const quality = inCall ? (hb.callQuality ?? null) : null;
    const db = this.ctx.store.db;
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('devices')
        .set({
          last_seen_at: at,
          app_version: hb.appVersion,
          os: toJson(hb.os),
          call_state_kind: hb.callState.state,
          call_state: toJson(hb.callState),
          update_state: hb.update ? toJson(hb.update) : null,
          degraded_reasons: toJson(reasons),
          latest_heartbeat: toJson({ ...hb, receivedAt: at }),
          // Only a heartbeat that carries a pre-flight replaces the stored one; regular ones keep it.
          ...(hb.preflight ? { last_preflight: toJson({ ...hb.preflight, receivedAt: at, ok: preflightPassed(hb.preflight) }) } : {}),
          updated_at: at,
        })
        .where('id', '=', device.id)
        .execute();
      await trx
        .insertInto('device_heartbeats')
        .values({
          id: randomUUID(),
          device_id: device.id,
          at,
          app_version: hb.appVersion,
          cpu_percent: hb.cpu.loadPercent,
          memory_percent: percentUsed(hb.memory.totalBytes, hb.memory.usedBytes),
          disk_percent: percentUsed(hb.disk.totalBytes, hb.disk.totalBytes - hb.disk.freeBytes),
          server_reachable: hb.network.serverReachable ? 1 : 0,
          latency_ms: hb.network.latencyMs,
          call_state: hb.callState.state,
          packet_loss_percent: quality?.packetLossPercent ?? null,
          jitter_ms: quality?.jitterMs ?? null,
          bitrate_kbps: quality?.bitrateKbps ?? null,
          frame_rate: quality?.frameRate ?? null,
          degraded_reasons: toJson(reasons),
        })
        .execute();
    });
    this.ctx.events.emit('fleet.changed', { entity: 'device', id: device.id, organisationCode: device.organisation_code });
    if (now.getTime() - this.#lastPrune >= PRUNE_EVERY_MS) {
      this.#lastPrune = now.getTime();
      await this.prune();
    }
    return { receivedAt: at, nextHeartbeatSeconds: this.ctx.settings.heartbeatIntervalSeconds };
  }

  /** Deletes heartbeats older than the retention period; returns how many. */
  async prune(): Promise<number> {
    const before = new Date(this.ctx.clock.now().getTime() - this.ctx.settings.healthRetentionDays * DAY_MS).toISOString();
    const res = await this.ctx.store.db.deleteFrom('device_heartbeats').where('at', '<', before).executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  async health(deviceId: string, range: { from?: string; to?: string }) {
    const row = await this.devices.row(deviceId);
    const to = range.to ? new Date(range.to) : this.ctx.clock.now();
    const from = range.from ? new Date(range.from) : new Date(to.getTime() - DAY_MS);
    if (from >= to) throw badRequest('invalid_range', '`from` must be before `to`');
    if (to.getTime() - from.getTime() > MAX_HEALTH_WINDOW_MS) {
      throw badRequest('range_too_long', 'Ask for at most 31 days at a time');
    }
    const rows = await this.ctx.store.db
      .selectFrom('device_heartbeats')
      .selectAll()
      .where('device_id', '=', deviceId)
      .where('at', '>=', from.toISOString())
      .where('at', '<', to.toISOString())
      .orderBy('at')
      .limit(MAX_POINTS)
      .execute();
    const points: HealthPoint[] = rows.map((r) => ({
      at: r.at,
      appVersion: r.app_version,
      cpuPercent: Number(r.cpu_percent),
      memoryPercent: num(r.memory_percent),
      diskPercent: num(r.disk_percent),
      serverReachable: r.server_reachable === 1,
      latencyMs: num(r.latency_ms),
      callState: r.call_state === 'in_call' ? 'in_call' : 'idle',
      packetLossPercent: num(r.packet_loss_percent),
      jitterMs: num(r.jitter_ms),
      bitrateKbps: num(r.bitrate_kbps),
      frameRate: num(r.frame_rate),
      degradedReasons: JSON.parse(r.degraded_reasons) as string[],
    }));
    return {
      deviceId,
      status: this.devices.statusOf(row),
      from: from.toISOString(),
      to: to.toISOString(),
      points,
      latest: row.latest_heartbeat ? (JSON.parse(row.latest_heartbeat) as Record<string, unknown>) : null,
    };
  }

  /** Stores a call summary once per (device, callId); a retry returns the stored verdict. */
  async callSummary(device: Selectable<DeviceTable>, s: CallSummary): Promise<{ id: string; goodQuality: boolean; created: boolean }> {
    if (Date.parse(s.endedAt) < Date.parse(s.startedAt)) throw badRequest('invalid_range', 'endedAt is before startedAt');
    const db = this.ctx.store.db;
    const existing = await db
      .selectFrom('call_summaries')
      .select(['id', 'good_quality'])
      .where('device_id', '=', device.id)
      .where('call_id', '=', s.callId)
      .executeTakeFirst();
    if (existing) return { id: existing.id, goodQuality: existing.good_quality === 1, created: false };
    const good = isGoodCall(s);
    const id = randomUUID();
    await db
      .insertInto('call_summaries')
      .values({
        id,
        device_id: device.id,
        room_id: device.room_id,
        organisation_code: device.organisation_code,
        call_id: s.callId,
        alias: s.alias,
        started_at: new Date(s.startedAt).toISOString(),
        ended_at: new Date(s.endedAt).toISOString(),
        received_at: this.ctx.clock.now().toISOString(),
        duration_seconds: s.durationSeconds,
        packet_loss_percent: s.averages.packetLossPercent,
        jitter_ms: s.averages.jitterMs,
        bitrate_kbps: s.averages.bitrateKbps,
        frame_rate: s.averages.frameRate,
        freeze_count: s.freezes.count,
        freeze_seconds: s.freezes.totalSeconds,
        good_quality: good ? 1 : 0,
        data: toJson(s),
      })
      .execute();
    return { id, goodQuality: good, created: true };
  }

  /** Counts across the (unrevoked) fleet, and the video-quality KPI over `from..to` (default 30 days). */
  /** `organisationCodes` limits devices and calls to an admin's organisation scope. */
  async fleetSummary(q: { organisationCode?: string; organisationCodes?: readonly string[]; from?: string; to?: string }): Promise<FleetSummary> {
    const devices = await this.devices.list({ organisationCode: q.organisationCode, organisationCodes: q.organisationCodes });
    const byStatus: Record<DeviceStatus, number> = { online: 0, offline: 0, degraded: 0 };
    const byVersion: Record<string, number> = {};
    const byCallState = { idle: 0, in_call: 0 };
    const byUpdateState: Record<string, number> = {};
    for (const d of devices) {
      byStatus[d.status]++;
      byVersion[d.appVersion] = (byVersion[d.appVersion] ?? 0) + 1;
      // An offline device's last call state is stale: count it idle.
      if (d.status !== 'offline' && d.callState.state === 'in_call') byCallState.in_call++;
      else byCallState.idle++;
      const u = d.updateState?.state ?? 'unknown';
      byUpdateState[u] = (byUpdateState[u] ?? 0) + 1;
    }
    const to = q.to ? new Date(q.to) : this.ctx.clock.now();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY_MS);
    let calls = this.ctx.store.db
      .selectFrom('call_summaries')
      .select((eb) => [eb.fn.countAll<number | string>().as('calls'), eb.fn.sum<number | string | null>('good_quality').as('good')])
      .where('ended_at', '>=', from.toISOString())
      .where('ended_at', '<', to.toISOString())
      .where('duration_seconds', '>=', VIDEO_QUALITY_BAR.minSeconds);
    if (q.organisationCode) calls = calls.where('organisation_code', '=', q.organisationCode);
    // An empty scope matches no calls ("in ()" is not SQL): a code no organisation can have.
    if (q.organisationCodes) calls = calls.where('organisation_code', 'in', q.organisationCodes.length > 0 ? q.organisationCodes : ['']);
    const kpi = await calls.executeTakeFirstOrThrow();
    const total = Number(kpi.calls);
    const good = Number(kpi.good ?? 0);
    return {
      total: devices.length,
      byStatus,
      byVersion,
      byCallState,
      byUpdateState,
      videoQuality: {
        from: from.toISOString(),
        to: to.toISOString(),
        calls: total,
        goodCalls: good,
        percent: total === 0 ? null : Math.round((good / total) * 1000) / 10,
      },
    };
  }
}

function num(v: number | string | null): number | null {
  return v === null ? null : Number(v);
}
