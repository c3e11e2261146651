import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src-shared/platform/clock';
import { RotatingLog, redact } from './rotating-log';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'vdx-log-'));
  dirs.push(d);
  return d;
};

describe('agent log', () => {
  it('redacts secrets by key and by value', () => {
    const out = JSON.stringify(redact({
      clientSecret: 's3cr3t', pin: '1234', nested: { access_token: 'abc', ok: 'fine' },
      msg: 'Authorization: Bearer abc.def.ghi and https://x/?client_secret=zzz&a=1',
      jwt: 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.sig',
    }));
    for (const secret of ['s3cr3t', '1234', '"abc"', 'abc.def.ghi', 'zzz', 'eyJhbGciOiJFUzI1NiJ9']) expect(out).not.toContain(secret);
    expect(out).toContain('fine');
    // Error codes and the key store's name are facts, not secrets.
    expect(redact({ code: 'offline', keyStore: 'keychain' })).toEqual({ code: 'offline', keyStore: 'keychain' });
  });

  it('rotates by size and keeps a bounded number of files', () => {
    const dir = tempDir();
    const log = new RotatingLog({ dir, clock: new ManualClock(), maxBytes: 500, maxFiles: 2 });
    for (let i = 0; i < 50; i++) log.info(`line ${i}`, { padding: 'x'.repeat(40) });
    expect(readdirSync(dir).sort()).toEqual(['agent.log', 'agent.log.1', 'agent.log.2']);
    expect(readFileSync(join(dir, 'agent.log'), 'utf8')).toContain('line 49');
  });

  it('collects recent lines for collect_logs, never with secrets', () => {
    const clock = new ManualClock('2026-03-02T10:00:00Z');
    const log = new RotatingLog({ dir: tempDir(), clock });
    log.info('old');
    clock.advance(2 * 3600_000);
    log.warn('token refreshed', { token: 'tok-123', code: 'x' });
    log.info('new');
    const tail = log.tail({ sinceMinutes: 60, maxLines: 10 });
    expect(tail).not.toContain('old');
    expect(tail).toContain('new');
    expect(tail).not.toContain('tok-123');
    expect(log.tail({ sinceMinutes: 600, maxLines: 1 }).split('\n')).toHaveLength(1);
    expect(log.recentErrors).toMatchObject([{ code: 'x', message: 'token refreshed' }]);
  });
});
