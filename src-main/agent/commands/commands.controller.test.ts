import { describe, expect, it } from 'vitest';
import type { CommandResult } from '../../../src-shared/devices/commands.schema';
import type { OutboxItem } from '../health/outbox';
import type { ShellControl } from '../platform/platform';
import { controllerContext } from '../test-support/controller-context';
import { CommandsController, type CommandTargets } from './commands.controller';

function setup(ctx = controllerContext('2026-03-02T09:00:00Z')) {
  const done: string[] = [];
  const sent: OutboxItem[] = [];
  const shell = { restartApp: () => done.push('restart'), reloadUi: () => done.push('reload') } as unknown as ShellControl;
  const targets: CommandTargets = {
    shell,
    health: { queue: (item) => void sent.push(item), flush: async () => void done.push('flush') },
    updates: { supported: true, check: async () => ({ available: true, version: '2.0.0' }) },
    messages: { show: (m) => void done.push(`show:${m.text}:${m.expiresAt}`) },
    calls: { joinForCommand: async (alias) => void done.push(`join:${alias}`), leaveForCommand: () => false, requestLeave: (r) => void done.push(`leave:${r}`) },
    collectLogs: () => 'x'.repeat(70 * 1024),
    reprovision: async (wipe) => void done.push(`reprovision:${wipe}`),
    enrolled: () => true,
  };
  const commands = new CommandsController(ctx, targets);
  const results = () => sent.map((i) => (i as { commandId: string; body: CommandResult }));
  return { ctx, commands, done, results };
}

const command = (id: string, type: string, args: unknown = {}, expiresAt = '2026-03-02T10:00:00Z') =>
  ({ id, type, args, expiresAt, issuedAt: '2026-03-02T08:59:00Z' }) as unknown as Parameters<CommandsController['run']>[0];

describe('commands', () => {
  it('runs a command the server sends again only once, even after a restart', async () => {
    const s = setup();
    await s.commands.run(command('c1', 'reload_ui'));
    await s.commands.run(command('c1', 'reload_ui'));
    const restarted = setup(s.ctx); // same settings store, new controller
    await restarted.commands.run(command('c1', 'reload_ui'));
    expect(s.done.filter((d) => d.startsWith('reload'))).toEqual(['reload']);
    expect(restarted.done).toEqual([]);
    expect(s.results()).toEqual([{ kind: 'command_result', commandId: 'c1', body: { status: 'succeeded', detail: 'reloading' } }]);
  });

  it('ignores an expired command without answering it', async () => {
    const s = setup();
    await s.commands.run(command('c2', 'restart_app', {}, '2026-03-02T08:59:59Z'));
    expect(s.done).toEqual([]);
    expect(s.results()).toEqual([]);
  });

  it('answers before it restarts: after the restart nobody remembers the command', async () => {
    const s = setup();
    await s.commands.run(command('c3', 'restart_app'));
    expect(s.done).toEqual(['flush', 'restart']);
  });

  it('answers bad arguments with a failed result naming invalid_request', async () => {
    const s = setup();
    await s.commands.run(command('c4', 'show_message', { text: 42 }));
    expect(s.results()[0]?.body).toMatchObject({ status: 'failed', detail: expect.stringMatching(/^invalid_request: Invalid arguments/) });
  });

  it('hands each command to its capability and reports what happened', async () => {
    const s = setup();
    await s.commands.run(command('c5', 'show_message', { text: 'Hej', severity: 'info', durationSeconds: 60 }));
    await s.commands.run(command('c6', 'join_meeting', { alias: 'm1@vdx.test' }));
    await s.commands.run(command('c7', 'leave_meeting'));
    await s.commands.run(command('c8', 'check_update'));
    await s.commands.run(command('c9', 'collect_logs', { sinceMinutes: 5, maxLines: 100 }));
    await s.commands.run(command('c10', 'reprovision', { wipeCredentials: true }));
    expect(s.done.filter((d) => d !== 'flush')).toEqual(['show:Hej:2026-03-02T09:01:00.000Z', 'join:m1@vdx.test', 'leave:reprovision', 'reprovision:true']);
    expect(s.results().map((r) => [r.commandId, r.body.status, r.body.detail?.slice(0, 40)])).toEqual([
      ['c5', 'succeeded', undefined],
      ['c6', 'succeeded', 'joining m1@vdx.test'],
      ['c7', 'succeeded', 'not in a call'],
      ['c8', 'succeeded', 'update 2.0.0 downloading; installs when '],
      ['c9', 'succeeded', 'x'.repeat(40)],
      ['c10', 'succeeded', 'credentials wiped; showing the activatio'],
    ]);
    expect(s.results()[4]?.body.detail).toHaveLength(60 * 1024);
  });

  it('remembers only the newest 200 command ids, and reads a damaged list as empty', async () => {
    const s = setup();
    s.ctx.settings.set('handledCommands', 'not a list');
    for (let i = 0; i < 201; i++) await s.commands.run(command(`k${i}`, 'reload_ui'));
    const kept = s.ctx.settings.get('handledCommands') as string[];
    expect(kept).toHaveLength(200);
    expect(kept[0]).toBe('k1');
  });
});
