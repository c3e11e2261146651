import { describe, expect, it } from 'vitest';
import type { ShellControl } from '../platform/platform';
import { controllerContext } from '../test-support/controller-context';
import { AdminExitController } from './admin-exit.controller';

function setup(pin: string | null) {
  const quits: string[] = [];
  const shell = { quit: () => quits.push('quit') } as unknown as ShellControl;
  return { exit: new AdminExitController(controllerContext(), shell, pin), quits };
}

describe('kiosk admin exit', () => {
  it('quits with the right PIN', async () => {
    const s = setup('2468');
    await expect(s.exit.handlers['app:admin-exit']({ pin: '2468' })).resolves.toEqual({ ok: true });
    await Promise.resolve();
    expect(s.quits).toEqual(['quit']);
  });

  it('refuses a wrong PIN, a PIN of another length, and any PIN when none is configured', async () => {
    for (const [configured, typed] of [['2468', '2469'], ['2468', '24680'], [null, '']] as const) {
      const s = setup(configured);
      await expect(s.exit.handlers['app:admin-exit']({ pin: typed })).rejects.toMatchObject({ code: 'invalid_pin' });
      await Promise.resolve();
      expect(s.quits).toEqual([]);
    }
  });
});
