/**
 * `npm run bench:fleet` — 10,000 enrolled room devices against one server process.
 *
 * This process runs the real server (`buildApp` on a SQLite file) and orchestrates; a child
 * process (this same file with `--devices`) simulates the devices, because one process may hold
 * at most 20,000 open files here and each device holds an event stream plus heartbeat sockets.
 * Device sockets are spread over 127.0.0.2, 127.0.0.3, ... so no single (source address → server)
 * pair runs out of ephemeral ports.
 *
 * Devices are enrolled in bulk, in-process (rooms, devices and their OAuth2 clients inserted in
 * batches; one device token minted per device), because 10,000 HTTP enrolments would measure
 * scrypt rather than the fleet. Time is compressed only in that the heartbeats of all devices are
 * spread evenly over one 30 s interval, which is exactly the steady-state rate of 10,000 devices
 * heartbeating every 30 s (≈ 333/s).
 *
 * Printed: heartbeat latency p50/p99, server RSS, the time from a booking change (VDX API PATCH)
 * to `schedule_changed` at the affected device, and the time for one broadcast message to reach
 * every device. Targets (issue 4): p99 ≤ 20 ms, broadcast ≤ 0.5 s, server memory ≤ 400 MB.
 *
 * The same heartbeat schedule is then sent to a bare node:http server in the same process, so the
 * latencies can be read against a baseline measured under the same machine load; server CPU time
 * per heartbeat is printed too, which shared machines disturb far less than latency.
 *
 * Environment: FLEET_DEVICES (10000), FLEET_SECONDS (heartbeat phase, 30), FLEET_ADDRESSES (10),
 * FLEET_BASELINE_SECONDS (10).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const N = Number(process.env.FLEET_DEVICES ?? 10_000);
const HEARTBEAT_PHASE_S = Number(process.env.FLEET_SECONDS ?? 30);
const ADDRESSES = Number(process.env.FLEET_ADDRESSES ?? 10);
const HEARTBEAT_INTERVAL_S = 30;
/** Length of the bare node:http baseline heartbeat phase. */
const BASELINE_SECONDS = Number(process.env.FLEET_BASELINE_SECONDS ?? 10);
const BOOKING_CHANGES = 5;

/** Wall-clock milliseconds with sub-millisecond precision, comparable across the two processes. */
const now = () => performance.timeOrigin + performance.now();

interface DeviceSeed {
  deviceId: string;
  roomId: string;
  token: string;
}

type ToParent =
  | { kind: 'connected'; count: number; failed: number }
  | { kind: 'schedule_changed'; deviceId: string; meetingUuid: string | undefined; at: number }
  | { kind: 'broadcast_received'; id: string; count: number; first: number; last: number }
  | { kind: 'heartbeats_done'; sent: number; failed: number; p50: number; p90: number; p99: number; max: number }
  | { kind: 'streams_lost'; count: number };

/** `port` is the server to heartbeat against: ours, or the bare node:http baseline. */
type ToChild = { kind: 'heartbeats'; seconds: number; port: number } | { kind: 'stop' };

// ---------------------------------------------------------------------------------- devices (child)

async function runDevices(port: number, seedFile: string): Promise<void> {
  const seeds = JSON.parse(readFileSync(seedFile, 'utf8')) as DeviceSeed[];
  const send = (m: ToParent) => process.send!(m);
  const address = (i: number) => `127.0.0.${2 + (i % ADDRESSES)}`;
  // Heartbeats reuse keep-alive sockets, one pool per source address.
  const agents = Array.from({ length: ADDRESSES }, (_, a) => new http.Agent({ keepAlive: true, maxSockets: 64, localAddress: `127.0.0.${2 + a}` }));
  const broadcasts = new Map<string, { count: number; first: number; last: number }>();
  let lost = 0;
  let stopping = false;

  function openStream(i: number): Promise<boolean> {
    const seed = seeds[i]!;
    return new Promise((resolve) => {
      const req = http.get(
        {
          host: '127.0.0.1',
          port,
          path: '/device/v1/me/events',
          localAddress: address(i),
          agent: false,
          headers: { authorization: `Bearer ${seed.token}`, accept: 'text/event-stream' },
        },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            resolve(false);
            return;
          }
          resolve(true);
          res.setEncoding('utf8');
          let buffer = '';
          res.on('data', (chunk: string) => {
            const at = now();
            buffer += chunk;
            let end: number;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const frame = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const type = /^event: (.*)$/m.exec(frame)?.[1];
              const data = /^data: (.*)$/m.exec(frame)?.[1];
              if (!type || !data) continue;
              if (type === 'message') {
                const id = (JSON.parse(data) as { id: string }).id;
                const b = broadcasts.get(id) ?? { count: 0, first: at, last: at };
                b.count++;
                b.first = Math.min(b.first, at);
                b.last = Math.max(b.last, at);
                broadcasts.set(id, b);
                if (b.count === seeds.length) send({ kind: 'broadcast_received', id, ...b });
              } else if (type === 'schedule_changed') {
                send({ kind: 'schedule_changed', deviceId: seed.deviceId, meetingUuid: (JSON.parse(data) as { meetingUuid?: string }).meetingUuid, at });
              }
            }
          });
          res.on('close', () => {
            if (!stopping) lost++;
          });
        },
      );
      req.on('error', () => resolve(false));
    });
  }

  // Connect in waves: a burst of 10,000 SYNs would overflow the listen backlog.
  let connected = 0;
  let failed = 0;
  for (let start = 0; start < seeds.length; start += 250) {
    const wave = await Promise.all(seeds.slice(start, start + 250).map((_, k) => openStream(start + k)));
    for (const ok of wave) {
      if (ok) connected++;
      else failed++;
    }
  }
  send({ kind: 'connected', count: connected, failed });

  const body = JSON.stringify(heartbeatBody());
  function heartbeat(i: number, target: number, agentsFor: http.Agent[]): Promise<number | undefined> {
    const seed = seeds[i]!;
    return new Promise((resolve) => {
      const t0 = performance.now();
      const req = http.request(
        {
          host: '127.0.0.1',
          port: target,
          method: 'POST',
          path: '/device/v1/me/heartbeat',
          agent: agentsFor[i % ADDRESSES],
          headers: { authorization: `Bearer ${seed.token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode === 200 ? performance.now() - t0 : undefined));
        },
      );
      req.on('error', () => resolve(undefined));
      req.end(body);
    });
  }

  process.on('message', (m: ToChild) => {
    if (m.kind === 'stop') {
      stopping = true;
      send({ kind: 'streams_lost', count: lost });
      setTimeout(() => process.exit(0), 200);
      return;
    }
    // Device i sends at offset (i/N)·30 s and every 30 s after, for `seconds`: N/30 per second.
    // Each phase gets fresh keep-alive pools so the baseline and our server start alike.
    const phaseAgents = m.port === port ? agents : Array.from({ length: ADDRESSES }, (_, a) => new http.Agent({ keepAlive: true, maxSockets: 64, localAddress: `127.0.0.${2 + a}` }));
    const latencies: number[] = [];
    let failedBeats = 0;
    const t0 = performance.now();
    const pending: Promise<void>[] = [];
    const periodMs = HEARTBEAT_INTERVAL_S * 1000;
    const schedule: { at: number; i: number }[] = [];
    for (let i = 0; i < seeds.length; i++) {
      for (let at = (i / seeds.length) * periodMs; at < m.seconds * 1000; at += periodMs) schedule.push({ at, i });
    }
    schedule.sort((a, b) => a.at - b.at);
    let next = 0;
    const tick = setInterval(() => {
      const elapsed = performance.now() - t0;
      while (next < schedule.length && schedule[next]!.at <= elapsed) {
        pending.push(heartbeat(schedule[next++]!.i, m.port, phaseAgents).then((ms) => void (ms === undefined ? failedBeats++ : latencies.push(ms))));
      }
      if (next >= schedule.length) {
        clearInterval(tick);
        void Promise.all(pending).then(() => {
          latencies.sort((a, b) => a - b);
          const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
          send({ kind: 'heartbeats_done', sent: latencies.length, failed: failedBeats, p50: q(0.5), p90: q(0.9), p99: q(0.99), max: latencies.at(-1) ?? NaN });
        });
      }
    }, 2);
  });
}

function heartbeatBody() {
  return {
    appVersion: '1.0.0',
    os: { platform: 'linux', release: '6.1.0', arch: 'x64' },
    uptimeSeconds: 3600,
    cpu: { loadPercent: 12 },
    memory: { totalBytes: 8e9, usedBytes: 3e9 },
    disk: { totalBytes: 1.2e11, freeBytes: 6e10 },
    network: { serverReachable: true, latencyMs: 4, type: 'wired' },
    peripherals: {
      cameras: [{ id: 'cam0', label: 'USB Camera', selected: true }],
      microphones: [{ id: 'mic0', label: 'USB Mic', selected: true }],
      speakers: [{ id: 'spk0', label: 'Speaker', selected: true }],
    },
    callState: { state: 'idle' },
    update: { state: 'idle' },
  };
}

// ---------------------------------------------------------------------------------- server (parent)

async function runServer(): Promise<void> {
  const { buildApp } = await import('../../src-server/app');
  const { loadConfig } = await import('../../src-server/config/config');
  const { openStore } = await import('../../src-server/db/database');
  const { hashClientSecret } = await import('../../src-server/auth/client-secrets');
  const { systemClock } = await import('../../src-shared/platform/clock');
  const { demoSchedulingTemplate } = await import('../../src-shared/booking/demo-scheduling-template');

  const dir = mkdtempSync(join(tmpdir(), 'vdx-fleet-bench-'));
  const adminSecret = randomUUID();
  const config = loadConfig({
    VDX_DB: `sqlite:${join(dir, 'vdx.db')}`,
    VDX_HOST: '127.0.0.1',
    VDX_PORT: '0',
    VDX_PUBLIC_URL: 'http://127.0.0.1',
    VDX_ADMIN_CLIENT_ID: 'bench-admin',
    VDX_ADMIN_CLIENT_SECRET: adminSecret,
    VDX_ARTIFACTS_DIR: join(dir, 'artifacts'),
    VDX_LOG_LEVEL: 'silent',
  });
  const store = await openStore(config.db);
  const { app, handles } = await buildApp({ config, store, clock: systemClock, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  const log = (s: string) => console.log(`[fleet] ${s}`);
  log(`server on ${base}; enrolling ${N} devices in bulk ...`);

  // --- bulk enrolment: one room per device (a kiosk per meeting room), like a real fleet.
  const tEnrol = performance.now();
  const org = config.bootstrapOrganisation;
  const stamp = new Date().toISOString();
  const secretHash = await hashClientSecret(randomUUID());
  const seeds: DeviceSeed[] = [];
  const BATCH = 400;
  for (let start = 0; start < N; start += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, N - start) }, (_, k) => ({
      index: start + k,
      roomId: randomUUID(),
      deviceId: randomUUID(),
      clientId: randomUUID(),
    }));
    await store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('rooms')
        .values(
          batch.map((b) => ({
            id: b.roomId,
            name: `Bench-rum ${b.index}`,
            organisation_code: org,
            location: null,
            theme_id: null,
            fixed_vmr_alias: null,
            maintenance_window: JSON.stringify({ timeZone: 'Europe/Copenhagen', slots: [] }),
            update_channel: 'stable',
            pinned_version: null,
            show_subjects: 1,
            created_at: stamp,
            updated_at: stamp,
          })),
        )
        .execute();
      await trx
        .insertInto('api_clients')
        .values(
          batch.map((b) => ({
            client_id: b.clientId,
            kind: 'device' as const,
            name: `Bench device ${b.index}`,
            organisation_code: org,
            email: null,
            roles: '[]',
            management_admin: 0,
            scopes: '["device"]',
            secret_hash: secretHash,
            device_id: b.deviceId,
            created_at: stamp,
            updated_at: stamp,
            revoked_at: null,
          })),
        )
        .execute();
      await trx
        .insertInto('devices')
        .values(
          batch.map((b) => ({
            id: b.deviceId,
            room_id: b.roomId,
            organisation_code: org,
            machine_id_hash: randomUUID(),
            install_id: randomUUID(),
            hostname: `kiosk-${b.index}`,
            hardware: '{}',
            os: JSON.stringify({ platform: 'linux', release: '6.1.0', arch: 'x64' }),
            app_version: '1.0.0',
            client_id: b.clientId,
            enrolled_at: stamp,
            last_seen_at: null,
            call_state_kind: 'idle',
            call_state: JSON.stringify({ state: 'idle' }),
            update_state: null,
            degraded_reasons: '[]',
            latest_heartbeat: null,
            revoked_at: null,
            created_at: stamp,
            updated_at: stamp,
          })),
        )
        .execute();
    });
    for (const b of batch) {
      const { accessToken } = await handles.accessTokens.issue({
        clientId: b.clientId,
        organisation: org,
        roles: [],
        managementAdmin: false,
        scopes: ['device'],
        deviceId: b.deviceId,
      });
      seeds.push({ deviceId: b.deviceId, roomId: b.roomId, token: accessToken });
    }
  }
  const seedFile = join(dir, 'devices.json');
  writeFileSync(seedFile, JSON.stringify(seeds));
  log(`enrolled ${N} devices in ${((performance.now() - tEnrol) / 1000).toFixed(1)} s`);

  // --- admin token and a booking template, through the real APIs.
  const tokenRes = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'bench-admin', client_secret: adminSecret }),
  });
  const adminToken = ((await tokenRes.json()) as { access_token: string }).access_token;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
  await api('POST', '/videoapi/v2/scheduling-templates', demoSchedulingTemplate({ uriPrefix: 'bench', uriDomain: 'vdx.test' }));

  // --- the device simulator.
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--devices', String(port), seedFile], { stdio: 'inherit' });
  const inbox: ToParent[] = [];
  const waiters: { match: (m: ToParent) => boolean; resolve: (m: ToParent) => void }[] = [];
  child.on('message', (m: ToParent) => {
    const w = waiters.findIndex((x) => x.match(m));
    if (w >= 0) waiters.splice(w, 1)[0]!.resolve(m);
    else inbox.push(m);
  });
  const next = <K extends ToParent['kind']>(kind: K, filter: (m: Extract<ToParent, { kind: K }>) => boolean = () => true, timeoutMs = 600_000) =>
    new Promise<Extract<ToParent, { kind: K }>>((resolve, reject) => {
      const match = (m: ToParent) => m.kind === kind && filter(m as Extract<ToParent, { kind: K }>);
      const queued = inbox.findIndex(match);
      if (queued >= 0) return resolve(inbox.splice(queued, 1)[0] as Extract<ToParent, { kind: K }>);
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${kind}`)), timeoutMs);
      waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m as Extract<ToParent, { kind: K }>)) });
    });

  const tConnect = performance.now();
  const connected = await next('connected');
  log(`${connected.count} event streams open (${connected.failed} failed) in ${((performance.now() - tConnect) / 1000).toFixed(1)} s; server RSS ${mb(process.memoryUsage().rss)}`);

  // --- heartbeat phase, with booking changes in the middle of it. Server CPU time is counted too:
  // on a shared, overloaded machine CPU per heartbeat says more than latency does.
  let rssMax = 0;
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 250);
  const cpuBeats = process.cpuUsage();
  const tBeats = performance.now();
  child.send({ kind: 'heartbeats', seconds: HEARTBEAT_PHASE_S, port } satisfies ToChild);
  await sleep((HEARTBEAT_PHASE_S * 1000) / 3);

  const bookingLatencies: number[] = [];
  for (let k = 0; k < BOOKING_CHANGES; k++) {
    const target = seeds[Math.floor(((k + 0.5) / BOOKING_CHANGES) * seeds.length)]!;
    const start = new Date(Date.now() + 3600_000);
    const meeting = await api('POST', '/videoapi/v2/meetings', {
      subject: `Bench-møde ${k}`,
      startTime: start.toISOString().replace(/\.\d{3}/, ''),
      endTime: new Date(start.getTime() + 1800_000).toISOString().replace(/\.\d{3}/, ''),
    });
    const uuid = meeting.uuid as string;
    const invited = next('schedule_changed', (m) => m.deviceId === target.deviceId && m.meetingUuid === uuid, 60_000);
    await api('POST', `/appointments/v1/meetings/${uuid}/participants`, { kind: 'room', roomId: target.roomId, role: 'host' });
    await invited;
    // The measured change: the meeting is moved through the VDX Booking API.
    const arrived = next('schedule_changed', (m) => m.deviceId === target.deviceId && m.meetingUuid === uuid, 60_000);
    const t0 = now();
    await api('PATCH', `/videoapi/v2/meetings/${uuid}`, { endTime: new Date(start.getTime() + 2700_000).toISOString().replace(/\.\d{3}/, '') });
    bookingLatencies.push((await arrived).at - t0);
  }

  const beats = await next('heartbeats_done');
  const beatsCpu = process.cpuUsage(cpuBeats);
  const beatsWallS = (performance.now() - tBeats) / 1000;

  // --- one message to every device, with the streams otherwise idle.
  await sleep(1000);
  const messageId = randomUUID();
  const received = next('broadcast_received', (m) => m.id === messageId, 120_000);
  const cpuBroadcast = process.cpuUsage();
  const tBroadcast = now();
  handles.deviceEvents.broadcast({
    type: 'message',
    data: { id: messageId, text: 'Husk: vedligeholdelse i nat kl. 02', severity: 'info', expiresAt: new Date(Date.now() + 3600_000).toISOString() },
  });
  const publishMs = now() - tBroadcast;
  const broadcastCpu = process.cpuUsage(cpuBroadcast);
  const broadcast = await received;
  clearInterval(sampler);
  const rssEnd = process.memoryUsage().rss;

  // --- baseline in the same run: the same heartbeat schedule against a bare node:http server in
  // this process (parse the JSON, answer 200), while our server still holds every stream.
  const baselineS = Math.min(HEARTBEAT_PHASE_S, BASELINE_SECONDS);
  const bare = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ receivedAt: new Date().toISOString(), nextHeartbeatSeconds: 30 }));
    });
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const cpuBare = process.cpuUsage();
  child.send({ kind: 'heartbeats', seconds: baselineS, port: (bare.address() as AddressInfo).port } satisfies ToChild);
  const bareBeats = await next('heartbeats_done');
  const bareCpu = process.cpuUsage(cpuBare);
  bare.closeAllConnections();
  bare.close();

  child.send({ kind: 'stop' } satisfies ToChild);
  const lost = await next('streams_lost', () => true, 5000).catch(() => ({ count: NaN }));

  bookingLatencies.sort((a, b) => a - b);
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
  const load = (await import('node:os')).loadavg()[0]!.toFixed(1);
  console.log('');
  console.log(`VDX fleet benchmark — ${N} devices, ${HEARTBEAT_PHASE_S} s of heartbeats at ${(N / HEARTBEAT_INTERVAL_S).toFixed(0)}/s, ${ADDRESSES} source addresses, load average ${load}`);
  console.log(`  event streams open          ${connected.count} / ${N}  (dropped during run: ${lost.count})`);
  console.log(`  heartbeats                  ${beats.sent} ok, ${beats.failed} failed, phase took ${beatsWallS.toFixed(1)} s (scheduled ${HEARTBEAT_PHASE_S} s)`);
  console.log(`  heartbeat latency           p50 ${ms(beats.p50)}  p90 ${ms(beats.p90)}  p99 ${ms(beats.p99)}  max ${ms(beats.max)}   (target p99 ≤ 20 ms)`);
  console.log(`    bare node:http baseline   p50 ${ms(bareBeats.p50)}  p90 ${ms(bareBeats.p90)}  p99 ${ms(bareBeats.p99)}  (${bareBeats.sent} in ${baselineS} s, same run)`);
  console.log(`  server CPU per heartbeat    ${ms(cpuMs(beatsCpu) / Math.max(1, beats.sent))} (bare baseline ${ms(cpuMs(bareCpu) / Math.max(1, bareBeats.sent))}); 333/s needs ${((cpuMs(beatsCpu) / Math.max(1, beats.sent)) * 333 / 10).toFixed(0)} % of a core`);
  console.log(`  server RSS                  max ${mb(rssMax)}, at end ${mb(rssEnd)}   (target ≤ 400 MB)`);
  console.log(`  booking change → device     median ${ms(bookingLatencies[Math.floor(bookingLatencies.length / 2)]!)}  max ${ms(bookingLatencies.at(-1)!)}  (${BOOKING_CHANGES} PATCHes during the heartbeats; target ≤ 1 s)`);
  console.log(`  broadcast → all devices     ${ms(broadcast.last - tBroadcast)} (first after ${ms(broadcast.first - tBroadcast)}; publish call ${ms(publishMs)}, ${ms(cpuMs(broadcastCpu))} CPU)   (target ≤ 500 ms)`);

  child.kill();
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (process.argv[2] === '--devices') {
  void runDevices(Number(process.argv[3]), process.argv[4]!);
} else {
  runServer().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
