/**
 * The agent's log: JSON lines in `{dir}/agent.log`, rotated by size (`agent.log.1` … `.N`), every
 * entry redacted before it is written. IT collects it with the `collect_logs` command.
 *
 * Redaction is by key name (anything that looks like a secret, token, PIN, password or code) and by
 * value pattern (bearer tokens, JWTs, `client_secret=` in URLs/bodies), so a careless
 * `log.info('x', {response})` cannot leak a credential.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../../src-shared/platform/clock';
import type { AgentLogger } from '../platform/platform';

const SECRET_KEY = /secret|token|password|passwd|pin$|^pin|authorization|cookie|activationcode|credential/i;
const SECRET_VALUES: Array<[RegExp, string]> = [
  [/Bearer\s+[A-Za-z0-9._~+/=-]+/gi, 'Bearer [redacted]'],
  [/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[redacted-jwt]'],
  [/((?:client_secret|access_token|token|pin|code)=)[^&\s"]+/gi, '$1[redacted]'],
];

/** Returns a copy with secret-looking keys and values replaced. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[deep]';
  if (typeof value === 'string') {
    let out = value;
    for (const [pattern, replacement] of SECRET_VALUES) out = out.replace(pattern, replacement);
    return out;
  }
  if (value instanceof Error) return { name: value.name, message: redact(value.message, depth + 1) };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEY.test(k) && v !== null && v !== undefined && typeof v !== 'boolean' ? '[redacted]' : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface RotatingLogOptions {
  dir: string;
  clock: Clock;
  /** Rotate when the current file passes this size (default 1 MiB). */
  maxBytes?: number;
  /** Rotated files kept besides the current one (default 4). */
  maxFiles?: number;
  level?: LogLevel;
  /** Also echo to stderr (development, the `npm run app` console). */
  echo?: boolean;
}

export class RotatingLog implements AgentLogger {
  readonly file: string;
  readonly #maxBytes: number;
  readonly #maxFiles: number;
  readonly #level: number;
  readonly #clock: Clock;
  readonly #echo: boolean;
  /** Warnings and errors for the heartbeat's `recentErrors` (last 20). */
  readonly recentErrors: Array<{ at: string; code?: string; message: string }> = [];

  constructor(options: RotatingLogOptions) {
    mkdirSync(options.dir, { recursive: true });
    this.file = join(options.dir, 'agent.log');
    this.#maxBytes = options.maxBytes ?? 1024 * 1024;
    this.#maxFiles = options.maxFiles ?? 4;
    this.#level = ORDER[options.level ?? 'info'];
    this.#clock = options.clock;
    this.#echo = options.echo ?? false;
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.#write('debug', message, fields);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.#write('info', message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.#write('warn', message, fields);
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.#write('error', message, fields);
  }

  #write(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    if (ORDER[level] < this.#level) return;
    const at = this.#clock.now().toISOString();
    const safeMessage = redact(message) as string;
    const entry = { at, level, msg: safeMessage, ...((fields ? redact(fields) : {}) as Record<string, unknown>) };
    const line = JSON.stringify(entry) + '\n';
    if (level === 'warn' || level === 'error') {
      const code = typeof fields?.code === 'string' ? fields.code : undefined;
      this.recentErrors.push({ at, ...(code ? { code } : {}), message: safeMessage.slice(0, 1000) });
      if (this.recentErrors.length > 20) this.recentErrors.shift();
    }
    try {
      this.#rotateIfNeeded(line.length);
      appendFileSync(this.file, line);
    } catch {
      // A full disk must not take the agent down; the echo (if any) still shows it.
    }
    if (this.#echo) process.stderr.write(`[agent] ${level} ${safeMessage}\n`);
  }

  #rotateIfNeeded(incoming: number): void {
    if (!existsSync(this.file) || statSync(this.file).size + incoming <= this.#maxBytes) return;
    rmSync(`${this.file}.${this.#maxFiles}`, { force: true });
    for (let i = this.#maxFiles - 1; i >= 1; i--) {
      if (existsSync(`${this.file}.${i}`)) renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
    }
    renameSync(this.file, `${this.file}.1`);
  }

  /**
   * The newest lines (oldest first) written in the last `sinceMinutes`, at most `maxLines` and
   * `maxChars` characters — what `collect_logs` uploads.
   */
  tail(options: { sinceMinutes: number; maxLines: number; maxChars?: number }): string {
    const since = this.#clock.now().getTime() - options.sinceMinutes * 60_000;
    const files = [this.file, ...Array.from({ length: this.#maxFiles }, (_, i) => `${this.file}.${i + 1}`)];
    const picked: string[] = [];
    let chars = 0;
    const maxChars = options.maxChars ?? 60 * 1024;
    for (const f of files) {
      if (!existsSync(f)) continue;
      const lines = readFileSync(f, 'utf8').split('\n').filter(Boolean).reverse();
      for (const line of lines) {
        let at = 0;
        try {
          at = Date.parse((JSON.parse(line) as { at: string }).at);
        } catch {
          continue;
        }
        if (at < since || picked.length >= options.maxLines || chars + line.length + 1 > maxChars) {
          return picked.reverse().join('\n');
        }
        picked.push(line);
        chars += line.length + 1;
      }
    }
    return picked.reverse().join('\n');
  }
}

/** A logger that drops everything (tests that do not look at logs). */
export const silentLogger: AgentLogger = { debug() {}, info() {}, warn() {}, error() {} };
