/**
 * `npm start`: the whole product on its embedded defaults, with demo data.
 *
 * 1. Starts the server (SQLite in var/, embedded conference node) with a demo admin API client.
 * 2. Seeds demo data through the public APIs only — a default scheduling template, a demo room with
 *    an activation code, and a meeting starting a minute from now with the room as host.
 * 3. Starts the room app, which provisions itself with the code and joins the meeting at its start.
 * Prints the admin credentials, the demo people (clinician, planner, management admin) with their
 * passwords, and the guest link so a newcomer can join from their own browser; sends one demo SMS
 * Video invitation and says where the outbox holding it is read.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../src-server/main';
import { demoSchedulingTemplate } from '../src-shared/booking/demo-scheduling-template';

const VAR_DIR = process.env.VDX_VAR_DIR ?? 'var';
const DEMO_CLIENT_FILE = join(VAR_DIR, 'demo-admin.json');
const DEMO_PEOPLE_FILE = join(VAR_DIR, 'demo-people.json');

/** People who sign in at /booking/ (and later /manage/): one per kind of user. */
const DEMO_PEOPLE = [
  { key: 'clinician', email: 'klinik.laege@demo.vdx', name: 'Karen Klinisk (demo)', roles: ['meeting-user'] },
  { key: 'planner', email: 'planlaegger@demo.vdx', name: 'Peter Planlægger (demo)', roles: ['meeting-user', 'meeting-planner'] },
  { key: 'admin', email: 'it.admin@demo.vdx', name: 'Ida IT-administrator (demo)', roles: ['meeting-user', 'meeting-planner', 'management-admin'] },
] as const;

interface DemoClient {
  clientId: string;
  clientSecret: string;
}

function demoClient(): DemoClient {
  mkdirSync(VAR_DIR, { recursive: true });
  if (existsSync(DEMO_CLIENT_FILE)) return JSON.parse(readFileSync(DEMO_CLIENT_FILE, 'utf8')) as DemoClient;
  const client = { clientId: 'demo-admin', clientSecret: randomBytes(32).toString('base64url') };
  writeFileSync(DEMO_CLIENT_FILE, JSON.stringify(client), { mode: 0o600 });
  return client;
}

async function main() {
  const client = demoClient();
  const { config, app } = await startServer({
    VDX_DB: `sqlite:${join(VAR_DIR, 'vdx.db')}`,
    VDX_ADMIN_CLIENT_ID: client.clientId,
    VDX_ADMIN_CLIENT_SECRET: client.clientSecret,
    VDX_LOG_LEVEL: 'warn',
    ...process.env,
  });
  const base = config.publicUrl;
  const api = new DemoApi(base, client);
  let app$: ChildProcess | undefined;
  const stop = async () => {
    app$?.kill('SIGTERM');
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  console.log(`\nVDX Room server: ${base}`);
  console.log(`Service status: ${base}/status · health check: ${base}/v1/healthcheck · metrics (this machine): ${base}/metrics`);
  console.log(`Demo admin API client: id=${client.clientId} secret=${client.clientSecret}`);
  console.log(`  token: curl -s -u '${client.clientId}:${client.clientSecret}' -d grant_type=client_credentials ${base}/oauth/token\n`);

  try {
    const people = await api.ensureDemoPeople();
    console.log(`Sign in at ${base}/booking/ as:`);
    for (const p of people) console.log(`  ${p.key.padEnd(9)} ${p.email}  password: ${p.password}`);
    console.log('');
  } catch (err) {
    console.error(`Demo people could not be created: ${(err as Error).message}`);
  }

  try {
    await api.ensureDefaultTemplate();
    const room = await api.createRoom('Demo-mødelokale');
    const activation = await api.post<{ code: string; url: string }>(`/management/v1/rooms/${room.id}/activation-codes`, {});
    const meeting = await api.bookMeeting(room.id);
    console.log(`Demo room "${room.name}" — activation code ${activation.code}`);
    console.log(`Demo meeting "${meeting.subject}" starts ${meeting.startTime}`);
    console.log(`Guest link: ${base}/join/${meeting.shortId}${meeting.guestPin ? `  (guest PIN ${meeting.guestPin})` : ''}\n`);
    await demoSms(api, base, config.sms.provider);
    app$ = spawn(process.execPath, ['--import', 'tsx', 'scripts/run-app.ts', ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: {
        ...process.env,
        VDX_SERVER_URL: base,
        VDX_ACTIVATION_CODE: activation.code,
        VDX_APP_DATA_DIR: process.env.VDX_APP_DATA_DIR ?? join(VAR_DIR, 'demo-room', String(Date.now())),
      },
    });
    app$.on('exit', (code) => console.log(`Room app exited (${code ?? 'signal'}); the server keeps running.`));
  } catch (err) {
    console.error(`Demo data could not be fully created: ${(err as Error).message}`);
    console.error('The server keeps running; see the README for using its APIs directly.');
  }
}

/** One SMS Video invitation to a demo number; with the embedded outbox nothing leaves the machine. */
async function demoSms(api: DemoApi, base: string, provider: string) {
  if (provider !== 'outbox') return;
  try {
    const sent = await api.post<{ hostLink: string; messages: { link: string; phone: string }[] }>('/sms/v1/meetings', {
      recipients: [{ phone: '+45 20 12 34 56', name: 'Demo-borger' }],
    });
    console.log(`Demo SMS Video to ${sent.messages[0]!.phone} (kept in the outbox, not sent): citizen's link ${sent.messages[0]!.link}`);
    console.log(`  host link ${sent.hostLink}`);
    console.log(`  the outbox (VDX_SMS_PROVIDER=outbox): GET ${base}/management/v1/sms-outbox with the admin client's token, or table sms_outbox in ${join(VAR_DIR, 'vdx.db')}\n`);
  } catch (err) {
    console.error(`Demo SMS could not be sent: ${(err as Error).message}`);
  }
}

class DemoApi {
  #token?: string;
  constructor(
    private readonly base: string,
    private readonly client: DemoClient,
  ) {}

  async token(): Promise<string> {
    if (this.#token) return this.#token;
    const res = await fetch(`${this.base}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${this.client.clientId}:${this.client.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    if (!res.ok) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
    this.#token = ((await res.json()) as { access_token: string }).access_token;
    return this.#token;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await this.token()}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }

  get<T>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T>(path: string, body: unknown) {
    return this.request<T>('POST', path, body);
  }

  /**
   * The demo people with their passwords (kept in var/demo-people.json). A person who exists
   * without a known password (a database from before) gets a new one through a reset link.
   */
  async ensureDemoPeople(): Promise<Array<{ key: string; email: string; password: string }>> {
    const known: Record<string, string> = existsSync(DEMO_PEOPLE_FILE) ? (JSON.parse(readFileSync(DEMO_PEOPLE_FILE, 'utf8')) as Record<string, string>) : {};
    const result = [];
    for (const person of DEMO_PEOPLE) {
      let password = known[person.email];
      const res = await fetch(`${this.base}/management/v1/users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await this.token()}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email: person.email, name: person.name, roles: person.roles, password: password ?? (password = randomBytes(12).toString('base64url')) }),
      });
      if (res.status === 409 && !known[person.email]) {
        const users = await this.get<{ users: Array<{ id: string; email: string }> }>(`/management/v1/users?q=${encodeURIComponent(person.email)}`);
        const id = users.users.find((u) => u.email === person.email)?.id;
        if (!id) throw new Error(`${person.email} exists but cannot be found`);
        const link = await this.post<{ url: string }>(`/management/v1/users/${id}/reset-link`, {});
        const set = await fetch(link.url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ password, passwordRepeat: password }).toString(),
        });
        if (!set.ok) throw new Error(`setting the password of ${person.email}: ${set.status}`);
      } else if (!res.ok && res.status !== 409) {
        throw new Error(`POST /management/v1/users: ${res.status} ${await res.text()}`);
      }
      known[person.email] = password;
      result.push({ key: person.key, email: person.email, password });
    }
    writeFileSync(DEMO_PEOPLE_FILE, JSON.stringify(known), { mode: 0o600 });
    return result;
  }

  async ensureDefaultTemplate(): Promise<void> {
    const templates = await this.get<Array<{ isDefaultTemplate?: boolean }>>('/videoapi/v2/scheduling-templates');
    if (templates.some((t) => t.isDefaultTemplate)) return;
    await this.post('/videoapi/v2/scheduling-templates', demoSchedulingTemplate());
  }

  async createRoom(name: string): Promise<{ id: string; name: string }> {
    return this.post('/management/v1/rooms', { name });
  }

  async bookMeeting(roomId: string) {
    const start = new Date(Math.ceil((Date.now() + 60_000) / 1000) * 1000);
    const end = new Date(start.getTime() + 30 * 60_000);
    const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const meeting = await this.post<{ uuid: string; subject: string; startTime: string; shortId: string }>(
      '/videoapi/v2/meetings',
      { subject: 'Demo: udskrivningskonference', startTime: iso(start), endTime: iso(end) },
    );
    await this.post(`/appointments/v1/meetings/${meeting.uuid}/participants`, { kind: 'room', roomId, role: 'host' });
    const info = await this.get<{ guestPin?: string | null }>(`/videoapi/v2/scheduling-info/${meeting.uuid}`);
    return { ...meeting, guestPin: info.guestPin ?? null };
  }
}

void main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
