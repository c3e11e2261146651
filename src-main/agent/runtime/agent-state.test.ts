import { describe, expect, it } from 'vitest';
import type { AppState } from '../../../src-shared/ipc/room-bridge.contract';
import { controllerContext } from '../test-support/controller-context';

describe('agent state', () => {
  it('is set in one place: each change goes out as provisioning:changed, then the whole app state', () => {
    const ctx = controllerContext();
    ctx.state.set({ kind: 'enrolling', serverUrl: 'https://vdx.test' });
    expect(ctx.emitted.map((e) => e.event)).toEqual(['provisioning:changed', 'app:state-changed']);
    expect(ctx.of<AppState>('app:state-changed')[0]).toMatchObject({ agent: { kind: 'enrolling' }, online: true, locale: 'da' });
    expect(ctx.state.current).toEqual({ kind: 'enrolling', serverUrl: 'https://vdx.test' });
  });

  it('re-announces the app state without a life-cycle change when only its frame changed', async () => {
    const ctx = controllerContext();
    ctx.state.announce();
    expect(ctx.emitted.map((e) => e.event)).toEqual(['app:state-changed']);
    expect(await ctx.state.handlers['app:state']()).toMatchObject({ agent: { kind: 'unprovisioned', lastError: null } });
  });
});
