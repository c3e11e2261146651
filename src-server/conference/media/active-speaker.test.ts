import { describe, expect, it } from 'vitest';
import { ActiveSpeakerDetector } from './active-speaker';

const LOUD = 100; // -27 dBov
const QUIET = 0;

/** Feeds 20 ms level samples for `ms` and evaluates every 100 ms; returns the switches seen. */
function run(detector: ActiveSpeakerDetector, levels: Record<string, number>, from: number, ms: number): Array<string | null> {
  const switches: Array<string | null> = [];
  for (let t = from; t < from + ms; t += 20) {
    for (const [id, level] of Object.entries(levels)) detector.report(id, level, t);
    if (t % 100 === 0) {
      const changed = detector.evaluate(t);
      if (changed !== undefined) switches.push(changed);
    }
  }
  return switches;
}

describe('ActiveSpeakerDetector', () => {
  it('takes the first person who speaks', () => {
    const detector = new ActiveSpeakerDetector();
    for (const id of ['a', 'b', 'c']) detector.add(id);
    run(detector, { a: QUIET, b: LOUD, c: QUIET }, 0, 600);
    expect(detector.current).toBe('b');
  });

  it('does not switch for a short burst, but does for sustained louder speech', () => {
    const detector = new ActiveSpeakerDetector();
    for (const id of ['a', 'b']) detector.add(id);
    run(detector, { a: LOUD, b: QUIET }, 0, 2000);
    expect(detector.current).toBe('a');
    expect(run(detector, { a: QUIET, b: LOUD }, 2000, 200)).toEqual([]);
    expect(detector.current).toBe('a');
    run(detector, { a: QUIET, b: LOUD }, 2200, 1500);
    expect(detector.current).toBe('b');
    expect(detector.before).toBe('a');
  });

  it('keeps the current speaker when everyone falls silent', () => {
    const detector = new ActiveSpeakerDetector();
    for (const id of ['a', 'b']) detector.add(id);
    run(detector, { a: LOUD, b: QUIET }, 0, 1000);
    expect(run(detector, { a: QUIET, b: QUIET }, 1000, 3000)).toEqual([]);
    expect(detector.current).toBe('a');
  });

  it('never chooses a muted participant', () => {
    const detector = new ActiveSpeakerDetector();
    for (const id of ['a', 'b']) detector.add(id);
    detector.setMuted('b', true);
    run(detector, { a: 50, b: LOUD }, 0, 2000);
    expect(detector.current).not.toBe('b');
  });

  it('falls back to the previous speaker when the speaker leaves', () => {
    const detector = new ActiveSpeakerDetector();
    for (const id of ['a', 'b', 'c']) detector.add(id);
    run(detector, { a: LOUD, b: QUIET, c: QUIET }, 0, 1500);
    run(detector, { a: QUIET, b: LOUD, c: QUIET }, 1500, 2000);
    expect(detector.current).toBe('b');
    detector.remove('b');
    expect(detector.current).toBe('a');
  });
});
