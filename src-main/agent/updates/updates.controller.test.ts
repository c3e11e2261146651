import { describe, expect, it } from 'vitest';
import type { AppState, UpdateState } from '../../../src-shared/ipc/room-bridge.contract';
import type { CallPhase } from '../calls/calls.controller';
import { controllerContext } from '../test-support/controller-context';
import { FakeUpdates } from '../test-support/test-agent';
import { UPDATE_CHECK_HOURS, UpdatesController } from './updates.controller';

// Monday 2026-03-02; the window is 02:00–05:00 Copenhagen time (UTC+1 in March).
const WINDOW = { timeZone: 'Europe/Copenhagen', slots: [{ days: ['mon' as const], start: '02:00', end: '05:00' }] };

function setup() {
  const ctx = controllerContext('2026-03-02T00:00:00Z');
  const driver = new FakeUpdates();
  let phase: CallPhase = 'idle';
  let changes = 0;
  const updates = new UpdatesController(ctx, {
    driver, earlyJoinSeconds: 0, meetings: () => [], maintenanceWindow: () => WINDOW, callPhase: () => phase, changed: () => void changes++,
  });
  const tickAt = (iso: string) => {
    ctx.clock.set(iso);
    updates.tick(ctx.clock.now());
  };
  return { ctx, driver, updates, tickAt, setPhase: (p: CallPhase) => (phase = p), changes: () => changes };
}

describe('updates', () => {
  it('checks a minute after connecting, then every few hours', async () => {
    const s = setup();
    s.updates.connected();
    s.tickAt('2026-03-02T00:00:59Z');
    expect(s.driver.checks).toBe(0);
    s.tickAt('2026-03-02T00:01:00Z');
    s.tickAt('2026-03-02T00:02:00Z');
    expect(s.driver.checks).toBe(1);
    s.tickAt(new Date(Date.parse('2026-03-02T00:01:00Z') + UPDATE_CHECK_HOURS * 3600_000).toISOString());
    expect(s.driver.checks).toBe(2);
  });

  it('holds a downloaded update during a call, says why in the heartbeat, and installs when idle in the window', async () => {
    const s = setup();
    s.driver.next = { available: true, version: '2.0.0' };
    await s.updates.check();
    expect(s.updates.state).toEqual({ kind: 'pending_install', version: '2.0.0' });
    s.setPhase('in_call');
    s.tickAt('2026-03-02T01:30:00Z'); // 02:30 in Copenhagen: in the window, but busy
    expect(s.driver.installs).toBe(0);
    expect(s.updates.heartbeatState()).toMatchObject({ state: 'deferred', version: '2.0.0', deferredReason: 'in_call' });
    s.setPhase('idle');
    s.tickAt('2026-03-02T01:31:00Z');
    expect(s.driver.installs).toBe(1);
    expect(s.updates.state).toEqual<UpdateState>({ kind: 'installing', version: '2.0.0' });
    s.tickAt('2026-03-02T01:32:00Z');
    expect(s.driver.installs).toBe(1);
  });

  it('reports a failed check as an error state, for the UI and for management', async () => {
    const s = setup();
    s.driver.check = async () => {
      throw new Error('feed unreachable');
    };
    await expect(s.updates.check()).rejects.toThrow('feed unreachable');
    expect(s.updates.state).toEqual({ kind: 'error', message: 'feed unreachable' });
    expect(s.updates.heartbeatState()).toMatchObject({ state: 'error', error: 'feed unreachable', lastCheckAt: '2026-03-02T00:00:00.000Z' });
    expect(s.changes()).toBe(1);
    expect(s.ctx.of<AppState>('app:state-changed')).toEqual([]); // the root decides what a change sends
  });

  it('says nothing about updates in heartbeats of a shell that cannot update itself', () => {
    const ctx = controllerContext();
    const driver = new FakeUpdates();
    driver.supported = false;
    const updates = new UpdatesController(ctx, { driver, earlyJoinSeconds: 0, meetings: () => [], maintenanceWindow: () => WINDOW, callPhase: () => 'idle', changed: () => {} });
    updates.connected();
    ctx.clock.advance(3600_000);
    updates.tick(ctx.clock.now());
    expect(driver.checks).toBe(0);
    expect(updates.heartbeatState()).toBeNull();
  });
});
