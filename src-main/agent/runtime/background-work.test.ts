import { describe, expect, it } from 'vitest';
import type { AgentLogger } from '../platform/platform';
import { BackgroundWork } from './background-work';

function recordingLog() {
  const errors: string[] = [];
  const log: AgentLogger = { debug() {}, info() {}, warn() {}, error: (message) => void errors.push(message) };
  return { log, errors };
}

/** A promise the test settles by hand, to look at the work while it still runs. */
function deferred() {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('background work', () => {
  it('lets idle() wait for a reaction the caller also awaits, including what it does last', async () => {
    const { log } = recordingLog();
    const work = new BackgroundWork(log);
    const steps: string[] = [];
    const gate = deferred();
    const reaction = work.during(gate.promise.then(() => steps.push('restarted')));
    let idle = false;
    const waiting = work.idle().then(() => (idle = true));
    await Promise.resolve();
    expect(idle).toBe(false);
    gate.resolve();
    await waiting;
    expect(steps).toEqual(['restarted']);
    await expect(reaction).resolves.toBe(1);
  });

  it('hands a failed reaction back to its caller and logs nothing itself', async () => {
    const { log, errors } = recordingLog();
    const work = new BackgroundWork(log);
    const failing = work.during(Promise.reject(new Error('server gone')));
    await expect(failing).rejects.toThrow('server gone');
    await work.idle();
    expect(errors).toEqual([]);
  });

  it('logs what it tracks on its own when it fails, instead of throwing it into the void', async () => {
    const { log, errors } = recordingLog();
    const work = new BackgroundWork(log);
    work.track(Promise.reject(new Error('heartbeat refused')));
    await work.idle();
    expect(errors).toEqual(['background task failed']);
  });
});
