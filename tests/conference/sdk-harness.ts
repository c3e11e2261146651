/**
 * A harness for driving the unmodified `@pexip/infinity` SDK in Chromium against our conference
 * node: bundles `sdk-page.ts` with esbuild, serves it from the same origin as the API (a test-only
 * route, never in production), launches Debian's Chromium with fake camera/microphone/screen, and
 * gives each participant a page with `join`, `waitFor` and `getStats`-based media checks.
 *
 * Reusable for 3-party (server media) tests: `startSdkHarness({ media: 'real' })`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { CHROMIUM_FLAGS } from '../support/chromium-flags';
import { chromium, expect, type Browser, type Page } from '@playwright/test';
import type { ManualClock } from '../../src-shared/platform/clock';
import { adminHeaders, createConferenceTestApp, type ConferenceTestApp } from '../../src-server/conference/conference.test-support';


const HERE = dirname(fileURLToPath(import.meta.url));
const PAGE_PATH = '/__sdk-test/';

let bundle: Promise<string> | undefined;

/** The SDK test page as one ES module (built once per process). */
export function sdkBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [join(HERE, 'sdk-page.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome110',
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  }).then((r) => r.outputFiles[0]!.text);
  return bundle;
}

const HTML = `<!doctype html><html><head><meta charset="utf-8"><title>loading</title></head><body>
<video id="remote" autoplay playsinline muted width="320" height="240"></video>
<video id="slides" autoplay playsinline muted width="320" height="240"></video>
<script type="module" src="${PAGE_PATH}sdk.js"></script></body></html>`;

/** Mirror of `window.vdx.state` in sdk-page.ts. */
export interface PageState {
  log: string[];
  errors: Array<{ error: string; errorCode: string }>;
  pinRequired: null | { hasHostPin: boolean; hasGuestPin: boolean };
  disconnected: null | { error: string; errorCode: string };
  connected: boolean;
  serviceType: string;
  me: string;
  participants: Array<{ uuid: string; displayName: string; raisedHand: boolean; isPresenting: boolean; serviceType: string; isMuted: boolean; isHost: boolean }>;
  messages: Array<{ displayName: string; message: string }>;
  peerDisconnects: number;
  callConnected: number;
  remoteStreams: number;
  presentationStreams: number;
  locked: boolean;
  directMedia: boolean;
}

export interface InboundStat {
  kind: string;
  mid: string;
  framesDecoded: number;
  packetsReceived: number;
  bytesReceived: number;
}

/** One SDK participant in its own browser context. */
export class SdkParticipant {
  constructor(
    readonly name: string,
    readonly page: Page,
  ) {}

  /** Joins with a `ClientCallType` name (`callType`, default `AudioVideoPresentation`). */
  join(alias: string, pin?: string, opts: { directMedia?: boolean; callType?: string } = {}): Promise<void> {
    return this.page.evaluate(
      ([alias, name, pin, directMedia, callType]) =>
        (window as unknown as { vdx: { join(o: object): Promise<void> } }).vdx.join({ alias, displayName: name, pin, directMedia, callType }),
      [alias, this.name, pin, opts.directMedia ?? true, opts.callType ?? 'AudioVideoPresentation'] as const,
    );
  }

  state(): Promise<PageState> {
    return this.page.evaluate(() => JSON.parse(JSON.stringify((window as unknown as { vdx: { state: PageState } }).vdx.state)) as PageState);
  }

  /** Calls a `window.vdx` method with JSON arguments. */
  do(method: string, ...args: unknown[]): Promise<unknown> {
    return this.page.evaluate(
      ([method, args]) => (window as unknown as { vdx: Record<string, (...a: unknown[]) => unknown> }).vdx[method]!(...args),
      [method, args] as const,
    );
  }

  inbound(): Promise<InboundStat[]> {
    return this.do('inbound') as Promise<InboundStat[]>;
  }

  /** Polls the page state until `predicate` holds; fails with the page's log after `timeoutMs`. */
  async waitFor(what: string, predicate: (s: PageState) => boolean, timeoutMs = 10_000): Promise<PageState> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.state();
      if (predicate(s)) return s;
      if (Date.now() > deadline) throw new Error(`${this.name}: timed out waiting for ${what}\n${s.log.slice(-25).join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Waits until this page decodes video frames on a transceiver (mid "1" main, "2" presentation) and they keep increasing. */
  async waitForFrames(mid: string, timeoutMs = 12_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let first: number | undefined;
    for (;;) {
      const video = (await this.inbound()).find((s) => s.kind === 'video' && s.mid === mid);
      const frames = video?.framesDecoded ?? 0;
      if (frames > 0 && first === undefined) first = frames;
      else if (first !== undefined && frames > first) return frames;
      if (Date.now() > deadline) {
        const s = await this.state();
        throw new Error(`${this.name}: no decoded video on mid ${mid} (${JSON.stringify(await this.inbound())})\n${s.log.slice(-25).join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /**
   * Waits until the page's `remote` (main) or `slides` (presentation) video element shows moving
   * video, whatever mid the call type gave that transceiver.
   */
  async waitForVideo(element: 'remote' | 'slides', timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let first: number | undefined;
    for (;;) {
      const frames = (await this.do('frames', element)) as number;
      if (frames > 0 && first === undefined) first = frames;
      else if (first !== undefined && frames > first + 2) return;
      if (Date.now() > deadline) {
        const s = await this.state();
        throw new Error(`${this.name}: no moving video in #${element} (${JSON.stringify(await this.inbound())})\n${s.log.slice(-25).join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async close(): Promise<void> {
    await this.page.context().close().catch(() => undefined);
  }
}

export interface SdkHarness {
  baseUrl: string;
  t: ConferenceTestApp;
  clock: ManualClock;
  participant(name: string): Promise<SdkParticipant>;
  /**
   * Creates a VMR through the management API (host PIN 1234, guest PIN 5678, name `Rum <alias>`;
   * `extra` overrides or adds fields) and fails the test unless it answers 201.
   */
  createVmr(alias: string, extra?: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

/** Starts the app (listening on loopback) with the test page route, and Chromium. */
export async function startSdkHarness(opts: { media?: 'fake' | 'none' | 'real'; env?: Record<string, string> } = {}): Promise<SdkHarness> {
  const js = await sdkBundle();
  const t = await createConferenceTestApp('sqlite', {
    media: opts.media ?? 'real',
    env: { VDX_CONFERENCE_STREAM_GRACE_MS: '2000', ...opts.env },
    setup: (app) => {
      app.get(PAGE_PATH, { schema: { hide: true } as object }, async (_req, reply) => reply.type('text/html').send(HTML));
      app.get(`${PAGE_PATH}sdk.js`, { schema: { hide: true } as object }, async (_req, reply) => reply.type('text/javascript').send(js));
    },
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const home = mkdtempSync(join(tmpdir(), 'vdx-sdk-chromium-'));
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_FLAGS,
      env: { ...process.env, HOME: home },
      timeout: 30_000,
    });
  } catch (err) {
    await t.close();
    rmSync(home, { recursive: true, force: true });
    throw err;
  }
  const pages: SdkParticipant[] = [];
  return {
    baseUrl,
    t,
    clock: t.clock,
    async participant(name: string) {
      const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(`${baseUrl}${PAGE_PATH}`);
      await page.waitForFunction(() => document.title === 'ready', undefined, { timeout: 15_000 });
      const p = new SdkParticipant(name, page);
      pages.push(p);
      return p;
    },
    async createVmr(alias: string, extra: Record<string, unknown> = {}) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/management/v1/vmrs',
        headers: await adminHeaders(t),
        payload: { alias, name: `Rum ${alias}`, hostPin: '1234', guestPin: '5678', ...extra },
      });
      expect(res.statusCode, res.body).toBe(201);
    },
    async close() {
      for (const p of pages) await p.close();
      await browser.close().catch(() => undefined);
      await t.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
