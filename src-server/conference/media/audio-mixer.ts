/**
 * Main-thread side of the N-1 Opus mixer: owns the worker thread (audio-mixer.worker.ts), feeds it
 * the Opus payloads each participant sends, and delivers one encoded payload per 20 ms frame for
 * each participant (possibly shared by several listeners) plus measured loudness.
 */
import { Worker } from 'node:worker_threads';

/** Messages to the worker. */
export type MixerCommand =
  | { type: 'add'; id: string }
  | { type: 'remove'; id: string }
  | { type: 'mute'; id: string; muted: boolean }
  | { type: 'frame'; id: string; payload: Uint8Array }
  | { type: 'stop' };

/** Messages from the worker. */
export type MixerReport =
  | {
      type: 'tick';
      /** One Opus payload per group of listeners that hear the same mix. */
      out: Array<{ ids: string[]; payload: Uint8Array }>;
      /** Loudness (dB above digital silence, 0..127) of each participant's frame this tick. */
      levels: Array<[string, number]>;
    }
  | { type: 'error'; message: string };

export interface AudioMixerEvents {
  onFrame(ids: readonly string[], payload: Buffer): void;
  onLevels(levels: ReadonlyArray<[string, number]>): void;
  onError(error: Error): void;
}

/**
 * Starts the worker. Under tsx or vitest this module is TypeScript source, and a worker does not
 * inherit the parent's loader, so the worker registers tsx itself before importing its entry.
 */
function startWorker(): Worker {
  const entry = new URL(`./audio-mixer.worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry);
  const bootstrap = `import('tsx/esm/api')
    .then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })
    .catch((error) => { console.error(error); process.exit(1); });`;
  return new Worker(bootstrap, { eval: true });
}

export class AudioMixer {
  private readonly worker: Worker;
  private closed = false;
  private readonly exited: Promise<void>;
  /** Frames handed to the worker, for stats. */
  framesIn = 0;
  /** Mix ticks received back. */
  ticks = 0;

  constructor(private readonly events: AudioMixerEvents) {
    this.worker = startWorker();
    this.worker.unref();
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.on('message', (report: MixerReport) => {
      if (report.type === 'error') {
        events.onError(new Error(report.message));
        return;
      }
      this.ticks++;
      for (const { ids, payload } of report.out) {
        events.onFrame(ids, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
      }
      if (report.levels.length > 0) events.onLevels(report.levels);
    });
    this.worker.on('error', (error) => events.onError(error));
  }

  add(id: string): void {
    this.post({ type: 'add', id });
  }

  remove(id: string): void {
    this.post({ type: 'remove', id });
  }

  setMuted(id: string, muted: boolean): void {
    this.post({ type: 'mute', id, muted });
  }

  /** One Opus payload (the RTP payload as received) from a participant. */
  push(id: string, payload: Buffer): void {
    this.framesIn++;
    if (this.closed) return;
    // The payload is a view into werift's datagram buffer; posting the view would structured-clone
    // the whole underlying ArrayBuffer. Copy the few bytes once and transfer them instead.
    const copy = new Uint8Array(payload);
    this.worker.postMessage({ type: 'frame', id, payload: copy } satisfies MixerCommand, [copy.buffer]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.worker.postMessage({ type: 'stop' } satisfies MixerCommand);
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, 1000, 'timeout').unref());
    if ((await Promise.race([this.exited, timeout])) === 'timeout') await this.worker.terminate();
  }

  private post(command: MixerCommand): void {
    if (!this.closed) this.worker.postMessage(command);
  }
}
