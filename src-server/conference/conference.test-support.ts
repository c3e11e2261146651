import type { FastifyInstance } from 'fastify';
import type { ManualClock } from '../../src-shared/platform/clock';
import type { DbKind } from '../db/database';
import { createTestApp, type TestApp } from '../test-support/test-app';
import { authHeader } from '../test-support/tokens';
import type { ConferenceMedia, ConferenceMediaFactory, LegOffer } from './media/conference-media';

/** A minimal SDP the node accepts (looks like SDP, has a media section and an ICE ufrag). */
export function fakeSdp(ufrag = 'ufragA', extra = ''): string {
  return [
    'v=0',
    'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    'c=IN IP4 0.0.0.0',
    `a=ice-ufrag:${ufrag}`,
    'a=ice-pwd:abcdefghijklmnopqrstuvwx',
    'a=mid:0',
    'm=video 9 UDP/TLS/RTP/SAVPF 96',
    'a=mid:1',
    extra,
    '',
  ].join('\r\n');
}

/** Records what signalling asks of the media engine and answers with a canned SDP. */
export class FakeConferenceMedia implements ConferenceMedia {
  readonly legs = new Map<string, LegOffer>();
  readonly calls: string[] = [];
  presenter: string | null = null;
  readonly muted = new Map<string, boolean>();
  closed = false;
  readonly #data: Array<(from: string, m: unknown) => void> = [];

  async addLeg(uuid: string, offer: LegOffer) {
    this.calls.push(`addLeg ${uuid}`);
    this.legs.set(uuid, offer);
    return fakeSdp('server');
  }
  async updateLeg(uuid: string) {
    this.calls.push(`updateLeg ${uuid}`);
    return fakeSdp('server2');
  }
  async addRemoteCandidate(uuid: string) {
    this.calls.push(`candidate ${uuid}`);
  }
  async removeLeg(uuid: string) {
    this.calls.push(`removeLeg ${uuid}`);
    this.legs.delete(uuid);
  }
  setPresenter(uuid: string | null) {
    this.presenter = uuid;
  }
  setAudioMuted(uuid: string, muted: boolean) {
    this.muted.set(uuid, muted);
  }
  sendData() {}
  onData(listener: (from: string, m: unknown) => void) {
    this.#data.push(listener);
    return () => undefined;
  }
  /** Simulates a data-channel message arriving on a participant's leg. */
  emitData(from: string, message: unknown) {
    for (const l of this.#data) l(from, message);
  }
  readonly #speaker: Array<(uuid: string | null) => void> = [];
  onActiveSpeaker(listener: (uuid: string | null) => void) {
    this.#speaker.push(listener);
    return () => undefined;
  }
  /** Simulates the engine switching the forwarded speaker. */
  emitSpeaker(uuid: string | null) {
    for (const l of this.#speaker) l(uuid);
  }
  stats() {
    return { legs: this.legs.size, activeSpeaker: null, presenter: this.presenter, speakerSwitches: 0 };
  }
  async close() {
    this.closed = true;
  }
}

export interface ConferenceTestApp extends TestApp {
  /** The fake media engines, one per conference that needed server media, in creation order. */
  media: FakeConferenceMedia[];
}

/** The real app with a fake media engine (one per conference, recorded) and short timers. */
export async function createConferenceTestApp(
  kind: DbKind = 'sqlite',
  opts: {
    env?: Record<string, string>;
    /** `fake` (default): recorded FakeConferenceMedia; `none`: direct media only; `real`: the werift engine. */
    media?: 'fake' | 'none' | 'real';
    clock?: ManualClock;
    /** Registers extra (test-only) routes before the app is ready. */
    setup?: (app: FastifyInstance) => void | Promise<void>;
  } = {},
): Promise<ConferenceTestApp> {
  const media: FakeConferenceMedia[] = [];
  const factory: ConferenceMediaFactory = () => {
    const m = new FakeConferenceMedia();
    media.push(m);
    return m;
  };
  const mode = opts.media ?? 'fake';
  const conferenceMedia = mode === 'none' ? null : mode === 'real' ? undefined : factory;
  const env = { VDX_CONFERENCE_STREAM_GRACE_MS: '300', VDX_PROVISION_POLL_MS: '3600000', ...opts.env };
  const t = await createTestApp(kind, env, opts.clock, { conferenceMedia, setup: opts.setup });
  return { ...t, media };
}

/** Bearer headers of a management-admin. */
export async function adminHeaders(t: ConferenceTestApp, managementAdmin = true) {
  return authHeader(t, { roles: [], organisation: 'vdx', managementAdmin });
}

/** One parsed Server-Sent Event. */
export interface SseEvent {
  event: string;
  data: unknown;
}

/**
 * Reads a participant's event stream over real HTTP (inject cannot stream). `next(name)` waits for
 * the next event of that name not yet consumed.
 */
export async function openEvents(baseUrl: string, alias: string, token: string) {
  const abort = new AbortController();
  const res = await fetch(`${baseUrl}/api/client/v2/conferences/${alias}/events?token=${token}`, { signal: abort.signal });
  const events: SseEvent[] = [];
  let consumed = 0;
  const waiters: Array<() => void> = [];
  let closed = false;
  const done = (async () => {
    if (!res.body) return;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let i: number;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const name = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (name) events.push({ event: name, data: data === undefined ? undefined : JSON.parse(data) });
          for (const w of waiters.splice(0)) w();
        }
      }
    } catch {
      // aborted
    } finally {
      closed = true;
      for (const w of waiters.splice(0)) w();
    }
  })();
  return {
    status: res.status,
    events,
    get closed() {
      return closed;
    },
    /** All events received so far with this name. */
    all(name: string) {
      return events.filter((e) => e.event === name).map((e) => e.data);
    },
    async next(name: string, timeoutMs = 3000): Promise<unknown> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const idx = events.findIndex((e, n) => n >= consumed && e.event === name);
        if (idx >= 0) {
          consumed = idx + 1;
          return events[idx]!.data;
        }
        if (closed) throw new Error(`stream closed before ${name}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no ${name} event within ${timeoutMs} ms; got ${events.map((e) => e.event).join(',')}`);
        await new Promise<void>((r) => {
          const t = setTimeout(r, left);
          waiters.push(() => {
            clearTimeout(t);
            r();
          });
        });
      }
    },
    async close() {
      abort.abort();
      await done;
    },
  };
}
