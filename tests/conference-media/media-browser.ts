/**
 * A minimal browser-side participant for driving the server-media engine without the signalling:
 * a plain Chromium RTCPeerConnection shaped like the `@pexip/infinity` SDK's (main audio + main
 * video sendrecv, presentation video inactive, negotiated `pexChannel`, `a=content` lines), whose
 * offers go straight to `ConferenceMedia.addLeg/updateLeg` through a Playwright binding.
 *
 * Media: each participant's camera is either Chromium's fake camera (benchmarks) or a canvas in a
 * solid colour, so a receiver can tell *whose* video it decodes by sampling a pixel. The
 * microphone is a WebAudio oscillator whose gain the test turns up and down (the fake microphone
 * beeps for everyone, which would make everyone a speaker).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_FLAGS } from '../support/chromium-flags';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { ConferenceMedia } from '../../src-server/conference/media/conference-media';


const PAGE = String.raw`<!doctype html><html><body>
<video id="main" autoplay playsinline muted width="320" height="180"></video>
<video id="slides" autoplay playsinline muted width="320" height="180"></video>
<audio id="audio" autoplay></audio>
<script>
const state = { pc: null, gain: null, stream: null, dataMessages: [], dc: null };
const DC_ID = 3;

function canvasTrack(colour, width, height, fps) {
  const canvas = document.createElement('canvas');
  canvas.width = width; canvas.height = height;
  const ctx = canvas.getContext('2d');
  let n = 0;
  const draw = () => {
    ctx.fillStyle = colour; ctx.fillRect(0, 0, width, height);
    // A moving bar keeps the encoder producing real frames.
    ctx.fillStyle = '#808080'; ctx.fillRect((n++ * 8) % width, 0, 16, 24);
  };
  draw();
  setInterval(draw, 1000 / fps);
  return canvas.captureStream(fps).getVideoTracks()[0];
}

function mungeContent(sdp) {
  // The SDK marks its transceivers with a=content (main, main, slides): do the same.
  const contents = { '0': 'main', '1': 'main', '2': 'slides' };
  return sdp.split('\r\n').flatMap((line) => {
    const mid = /^a=mid:(\S+)$/.exec(line);
    return mid && contents[mid[1]] ? [line, 'a=content:' + contents[mid[1]]] : [line];
  }).join('\r\n');
}

async function negotiate(op) {
  const pc = state.pc;
  const marks = { start: performance.now() };
  window.vdxMarks = marks;
  const offer = await pc.createOffer();
  await pc.setLocalDescription({ type: 'offer', sdp: mungeContent(offer.sdp) });
  if (pc.iceGatheringState !== 'complete') {
    await new Promise((resolve) => {
      const t = setTimeout(resolve, 3000);
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') { clearTimeout(t); resolve(); }
      });
    });
  }
  marks.gathered = performance.now();
  const answer = await window.vdxSignal(op, pc.localDescription.sdp);
  marks.answered = performance.now();
  await pc.setRemoteDescription({ type: 'answer', sdp: answer });
  marks.applied = performance.now();
  pc.addEventListener('connectionstatechange', () => { if (pc.connectionState === 'connected') marks.connected = performance.now(); });
}

async function prepare({ colour, fakeCamera, loud }) {
  const ac = new AudioContext();
  const osc = ac.createOscillator();
  osc.frequency.value = 440;
  const gain = ac.createGain();
  gain.gain.value = loud ? 0.5 : 0;
  const dest = ac.createMediaStreamDestination();
  osc.connect(gain); gain.connect(dest); osc.start();
  state.gain = gain;
  const audioTrack = dest.stream.getAudioTracks()[0];
  const videoTrack = fakeCamera
    ? (await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360, frameRate: 15 } })).getVideoTracks()[0]
    : canvasTrack(colour, 640, 360, 15);
  state.stream = new MediaStream([audioTrack, videoTrack]);
  // "Join" starts once local media is ready, as an SDK app calls call() after getUserMedia.
  window.vdxJoinedAt = performance.now();
  const pc = new RTCPeerConnection();
  state.pc = pc;
  pc.ontrack = (e) => {
    const mid = e.transceiver.mid;
    if (e.track.kind === 'audio') {
      const el = document.getElementById('audio');
      el.srcObject = new MediaStream([e.track]);
      el.muted = false;
      el.play().catch(() => {});
    } else {
      const el = document.getElementById(mid === '2' ? 'slides' : 'main');
      el.srcObject = new MediaStream([e.track]);
      el.play().catch(() => {});
    }
  };
  const dc = pc.createDataChannel('pexChannel', { negotiated: true, id: DC_ID });
  state.dc = dc;
  dc.onmessage = (e) => state.dataMessages.push(JSON.parse(e.data));
  watchFirstFrame();
  return pc;
}

function watchFirstFrame() {
  const timer = setInterval(async () => {
    if (!state.pc) return;
    const report = await state.pc.getStats();
    report.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video' && s.mid !== '2' && s.framesDecoded > 0 && window.vdxFirstFrameMs === undefined) {
        window.vdxFirstFrameMs = performance.now() - window.vdxJoinedAt;
        clearInterval(timer);
      }
    });
  }, 25);
}

window.vdxJoin = async (options) => {
  const pc = await prepare(options);
  const [audioTrack] = state.stream.getAudioTracks();
  const [videoTrack] = state.stream.getVideoTracks();
  pc.addTransceiver(audioTrack, { direction: 'sendrecv', streams: [state.stream] });
  pc.addTransceiver(videoTrack, { direction: 'sendrecv', streams: [state.stream] });
  pc.addTransceiver('video', { direction: 'inactive' });
  await negotiate('add');
};

/** Direct media: answer another participant's offer, as the first SDK client does on new_offer. */
window.vdxAnswer = async (options, offerSdp) => {
  const pc = await prepare(options);
  await pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
  const [audio, video] = pc.getTransceivers();
  await audio.sender.replaceTrack(state.stream.getAudioTracks()[0]);
  await video.sender.replaceTrack(state.stream.getVideoTracks()[0]);
  audio.sender.setStreams(state.stream); video.sender.setStreams(state.stream);
  audio.direction = 'sendrecv'; video.direction = 'sendrecv';
  await pc.setLocalDescription(await pc.createAnswer());
  if (pc.iceGatheringState !== 'complete') {
    await new Promise((resolve) => {
      const t = setTimeout(resolve, 3000);
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') { clearTimeout(t); resolve(); }
      });
    });
  }
  return pc.localDescription.sdp;
};

window.vdxSetLoud = (loud) => { state.gain.gain.value = loud ? 0.5 : 0; };

window.vdxPresent = async (colour) => {
  const t = state.pc.getTransceivers().find((x) => x.mid === '2');
  await t.sender.replaceTrack(canvasTrack(colour, 640, 360, 5));
  t.direction = 'sendonly';
  await negotiate('update');
};

window.vdxReceivePresentation = async () => {
  const t = state.pc.getTransceivers().find((x) => x.mid === '2');
  t.direction = 'recvonly';
  await negotiate('update');
};

window.vdxRestartIce = async () => {
  state.pc.restartIce();
  await negotiate('update');
};

window.vdxSendData = (message) => state.dc.send(JSON.stringify(message));
window.vdxDataMessages = () => state.dataMessages;

function centreColour(id) {
  const el = document.getElementById(id);
  if (!el.videoWidth) return null;
  const c = document.createElement('canvas');
  c.width = el.videoWidth; c.height = el.videoHeight;
  const ctx = c.getContext('2d');
  ctx.drawImage(el, 0, 0);
  const d = ctx.getImageData(Math.floor(c.width / 2), Math.floor(c.height / 2), 1, 1).data;
  return [d[0], d[1], d[2]];
}

window.vdxStats = async () => {
  const report = await state.pc.getStats();
  const out = { main: null, slides: null, audio: null, firstFrameMs: window.vdxFirstFrameMs ?? null };
  report.forEach((s) => {
    if (s.type !== 'inbound-rtp') return;
    if (s.kind === 'audio') {
      out.audio = { totalAudioEnergy: s.totalAudioEnergy ?? 0, audioLevel: s.audioLevel ?? 0, packetsReceived: s.packetsReceived ?? 0 };
    } else {
      const entry = { framesDecoded: s.framesDecoded ?? 0, freezeCount: s.freezeCount ?? 0, packetsReceived: s.packetsReceived ?? 0 };
      out[s.mid === '2' ? 'slides' : 'main'] = entry;
    }
  });
  out.marks = window.vdxMarks; out.joinedAt = window.vdxJoinedAt;
  out.mainColour = centreColour('main');
  out.slidesColour = centreColour('slides');
  return out;
};
</script></body></html>`;

export interface InboundVideo {
  framesDecoded: number;
  freezeCount: number;
  packetsReceived: number;
}

export interface ParticipantStats {
  main: InboundVideo | null;
  slides: InboundVideo | null;
  audio: { totalAudioEnergy: number; audioLevel: number; packetsReceived: number } | null;
  mainColour: [number, number, number] | null;
  slidesColour: [number, number, number] | null;
  /** Time from starting to join until the first decoded frame of the main remote video. */
  firstFrameMs: number | null;
}

export interface JoinOptions {
  /** CSS colour of the canvas camera; ignored with `fakeCamera`. */
  colour?: string;
  /** Use Chromium's fake 640×360/15 fps camera instead of a coloured canvas. */
  fakeCamera?: boolean;
  loud?: boolean;
}

/** One Chromium process shared by all participants of a test, plus the page server. */
export class MediaBrowser {
  private constructor(
    private readonly browser: Browser,
    private readonly server: Server,
    private readonly home: string,
    readonly url: string,
  ) {}

  static async launch(): Promise<MediaBrowser> {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(PAGE);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const home = mkdtempSync(join(tmpdir(), 'vdx-media-chromium-'));
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_FLAGS,
      env: { ...process.env, HOME: home },
      timeout: 30_000,
    });
    const { port } = server.address() as AddressInfo;
    return new MediaBrowser(browser, server, home, `http://127.0.0.1:${port}/`);
  }

  /** Opens a participant page whose offers go to `media` as leg `id`. */
  participant(id: string, media: ConferenceMedia): Promise<MediaParticipant> {
    return this.participantWith(id, (op, sdp) =>
      op === 'add' ? media.addLeg(id, { sdp, dataChannelId: 3 }) : media.updateLeg(id, sdp),
    );
  }

  /** Opens a participant page whose offers go to `signal` (e.g. another page, for direct media). */
  async participantWith(id: string, signal: (op: 'add' | 'update', sdp: string) => Promise<string>): Promise<MediaParticipant> {
    const context = await this.browser.newContext();
    const page = await context.newPage();
    await page.exposeFunction('vdxSignal', signal);
    await page.goto(this.url);
    return new MediaParticipant(id, context, page);
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.home, { recursive: true, force: true });
  }
}

export class MediaParticipant {
  constructor(
    readonly id: string,
    private readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  join(options: JoinOptions): Promise<void> {
    return this.page.evaluate((o) => (window as unknown as { vdxJoin(o: JoinOptions): Promise<void> }).vdxJoin(o), options);
  }

  /** Direct media: answers `offerSdp` from another participant with this page's media. */
  answer(options: JoinOptions, offerSdp: string): Promise<string> {
    return this.page.evaluate(
      ([o, sdp]) => (window as unknown as { vdxAnswer(o: JoinOptions, sdp: string): Promise<string> }).vdxAnswer(o, sdp),
      [options, offerSdp] as const,
    );
  }

  setLoud(loud: boolean): Promise<void> {
    return this.page.evaluate((l) => (window as unknown as { vdxSetLoud(l: boolean): void }).vdxSetLoud(l), loud);
  }

  present(colour: string): Promise<void> {
    return this.page.evaluate((c) => (window as unknown as { vdxPresent(c: string): Promise<void> }).vdxPresent(c), colour);
  }

  receivePresentation(): Promise<void> {
    return this.page.evaluate(() => (window as unknown as { vdxReceivePresentation(): Promise<void> }).vdxReceivePresentation());
  }

  restartIce(): Promise<void> {
    return this.page.evaluate(() => (window as unknown as { vdxRestartIce(): Promise<void> }).vdxRestartIce());
  }

  sendData(message: unknown): Promise<void> {
    return this.page.evaluate((m) => (window as unknown as { vdxSendData(m: unknown): void }).vdxSendData(m), message);
  }

  dataMessages(): Promise<unknown[]> {
    return this.page.evaluate(() => (window as unknown as { vdxDataMessages(): unknown[] }).vdxDataMessages());
  }

  stats(): Promise<ParticipantStats> {
    return this.page.evaluate(() => (window as unknown as { vdxStats(): Promise<ParticipantStats> }).vdxStats());
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }
}

/** Polls `probe` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Which of the named colours an RGB sample is closest to (decoded video is only approximately exact). */
export function nearestColour(rgb: [number, number, number] | null, palette: Record<string, [number, number, number]>): string | undefined {
  if (!rgb) return undefined;
  let best: { name: string; distance: number } | undefined;
  for (const [name, [r, g, b]] of Object.entries(palette)) {
    const distance = Math.hypot(rgb[0] - r, rgb[1] - g, rgb[2] - b);
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best && best.distance < 120 ? best.name : undefined;
}
