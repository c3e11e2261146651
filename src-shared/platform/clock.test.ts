import { describe, expect, it } from 'vitest';
import { ManualClock, systemTimers } from './clock';

describe('timers', () => {
  it('a ManualClock fires its timers in time order as it passes them, and not cancelled ones', () => {
    const clock = new ManualClock('2026-03-02T08:00:00Z');
    const fired: string[] = [];
    clock.at(new Date('2026-03-02T09:00:00Z'), () => fired.push('9'));
    clock.at(new Date('2026-03-02T08:30:00Z'), () => fired.push('8.30'));
    const cancel = clock.at(new Date('2026-03-02T08:45:00Z'), () => fired.push('8.45'));
    cancel();
    clock.set('2026-03-02T08:59:59.999Z');
    expect(fired).toEqual(['8.30']);
    clock.advance(1);
    expect(fired).toEqual(['8.30', '9']);
  });

  it('a ManualClock timer set for a passed instant runs soon, not inside the call that set it', async () => {
    const clock = new ManualClock('2026-03-02T08:00:00Z');
    let fired = false;
    clock.at(new Date('2026-03-02T07:00:00Z'), () => (fired = true));
    expect(fired).toBe(false);
    await Promise.resolve();
    expect(fired).toBe(true);
  });

  it('system timers wait by the clock they are given, so one that is early by it waits again', async () => {
    const clock = new ManualClock('2026-03-02T08:00:00Z');
    const timers = systemTimers(clock);
    let fired = 0;
    timers.at(new Date('2026-03-02T08:00:00.020Z'), () => fired++);
    const cancelled = timers.at(new Date('2026-03-02T08:00:00.010Z'), () => fired++);
    cancelled();
    // Real time passes but this clock stands still: the timer must not fire.
    await new Promise((r) => setTimeout(r, 60));
    expect(fired).toBe(0);
    clock.set('2026-03-02T08:00:00.020Z');
    await new Promise((r) => setTimeout(r, 60));
    expect(fired).toBe(1);
  });
});
