/**
 * The audio mixer's worker thread: decodes every participant's Opus, mixes everyone-but-you per
 * participant in 20 ms frames, encodes Opus, and hands the payloads back to the main thread,
 * which only wraps them in RTP. Decoding and encoding are the CPU-heavy part of server media;
 * keeping them here keeps the signalling event loop (HTTP, event streams, ICE) responsive.
 *
 * Cost control: a participant whose frame is silent contributes nothing, so everyone who did not
 * contribute hears the same "all contributors" mix; that mix is encoded once and shared. Only
 * contributors (usually one or two people talking) get their own N-1 encode. A listener moving
 * between the shared and an own stream sees an Opus stream discontinuity, which the decoder
 * conceals as a click at most.
 */
import { parentPort } from 'node:worker_threads';
import opus from '@discordjs/opus';
import type { MixerCommand, MixerReport } from './audio-mixer';

const SAMPLE_RATE = 48_000;
const FRAME_SAMPLES = 960; // 20 ms at 48 kHz, mono
const FRAME_MS = 20;
/** Start consuming a participant's audio once 40 ms are buffered: absorbs network jitter. */
const PREBUFFER_SAMPLES = 2 * FRAME_SAMPLES;
/** Never hold more than 120 ms; drop the oldest beyond that so latency cannot grow. */
const MAX_BUFFER_SAMPLES = 6 * FRAME_SAMPLES;
/** Frames quieter than this (dB above digital silence) are not mixed at all. */
const CONTRIBUTION_GATE_DB = 20;
const OPUS_SET_COMPLEXITY = 4010;
const ENCODER_COMPLEXITY = 5;
const ENCODER_BITRATE = 32_000;

interface Participant {
  decoder: opus.OpusEncoder;
  encoder: opus.OpusEncoder | undefined;
  buffer: Int16Array;
  buffered: number;
  playing: boolean;
  muted: boolean;
}

const port = parentPort;
if (!port) throw new Error('audio-mixer.worker must run as a worker thread');

const participants = new Map<string, Participant>();
const sharedEncoder = createEncoder();
const mix = new Int32Array(FRAME_SAMPLES);
const pcmOut = Buffer.alloc(FRAME_SAMPLES * 2);
// Little-endian hosts only (x86, ARM): the Int16Array view writes the PCM Opus expects.
const pcmOutSamples = new Int16Array(pcmOut.buffer, pcmOut.byteOffset, FRAME_SAMPLES);

function createEncoder(): opus.OpusEncoder {
  const encoder = new opus.OpusEncoder(SAMPLE_RATE, 1);
  encoder.setBitrate(ENCODER_BITRATE);
  encoder.applyEncoderCTL(OPUS_SET_COMPLEXITY, ENCODER_COMPLEXITY);
  return encoder;
}

function append(participant: Participant, pcm: Buffer): void {
  const samples = pcm.length >> 1;
  const view = new Int16Array(pcm.buffer, pcm.byteOffset, samples);
  let overflow = participant.buffered + samples - MAX_BUFFER_SAMPLES;
  if (overflow > 0) {
    overflow = Math.min(overflow, participant.buffered);
    participant.buffer.copyWithin(0, overflow, participant.buffered);
    participant.buffered -= overflow;
  }
  const take = Math.min(samples, MAX_BUFFER_SAMPLES - participant.buffered);
  participant.buffer.set(view.subarray(samples - take), participant.buffered);
  participant.buffered += take;
}

/** Loudness of a frame in dB above digital silence (127 + dBFS), 0..127. */
function loudness(samples: Int16Array): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  if (sum === 0) return 0;
  const rms = Math.sqrt(sum / samples.length);
  return Math.max(0, Math.min(127, 127 + 20 * Math.log10(rms / 32768)));
}

function toPcm(source: Int32Array | Int16Array, subtract?: Int16Array): Buffer {
  for (let i = 0; i < FRAME_SAMPLES; i++) {
    const value = source[i]! - (subtract ? subtract[i]! : 0);
    pcmOutSamples[i] = value > 32767 ? 32767 : value < -32768 ? -32768 : value;
  }
  return pcmOut;
}

function tick(): void {
  mix.fill(0);
  const levels: Array<[string, number]> = [];
  const contributors: Array<[string, Participant, Int16Array]> = [];
  for (const [id, participant] of participants) {
    if (!participant.playing && participant.buffered >= PREBUFFER_SAMPLES) participant.playing = true;
    if (!participant.playing) continue;
    if (participant.buffered < FRAME_SAMPLES) {
      participant.playing = false; // underrun: rebuffer rather than play crackles
      continue;
    }
    const own = participant.buffer.slice(0, FRAME_SAMPLES);
    participant.buffer.copyWithin(0, FRAME_SAMPLES, participant.buffered);
    participant.buffered -= FRAME_SAMPLES;
    const level = loudness(own);
    levels.push([id, level]);
    if (participant.muted || level < CONTRIBUTION_GATE_DB) continue;
    for (let i = 0; i < FRAME_SAMPLES; i++) mix[i]! += own[i]!;
    contributors.push([id, participant, own]);
  }

  const out: Extract<MixerReport, { type: 'tick' }>['out'] = [];
  const contributorIds = new Set(contributors.map(([id]) => id));
  const listeners = [...participants.keys()].filter((id) => !contributorIds.has(id));
  if (listeners.length > 0) {
    out.push({ ids: listeners, payload: new Uint8Array(sharedEncoder.encode(toPcm(mix))) });
  }
  for (const [id, participant, own] of contributors) {
    participant.encoder ??= createEncoder();
    out.push({ ids: [id], payload: new Uint8Array(participant.encoder.encode(toPcm(mix, own))) });
  }
  const report: MixerReport = { type: 'tick', out, levels };
  // Encoded payloads are views into larger buffers: send exact-size copies, transferred.
  port!.postMessage(report, out.map(({ payload }) => payload.buffer as ArrayBuffer));
}

let timer: NodeJS.Timeout | undefined;
let nextAt = 0;
function schedule(): void {
  const now = performance.now();
  // Self-correcting 20 ms clock: setInterval drifts, and a late tick must not shift all later ones.
  nextAt = nextAt === 0 || now - nextAt > 5 * FRAME_MS ? now + FRAME_MS : nextAt + FRAME_MS;
  timer = setTimeout(() => {
    try {
      tick();
    } catch (error) {
      port!.postMessage({ type: 'error', message: String(error) } satisfies MixerReport);
    }
    schedule();
  }, Math.max(0, nextAt - now));
}

port.on('message', (command: MixerCommand) => {
  switch (command.type) {
    case 'add':
      if (!participants.has(command.id)) {
        participants.set(command.id, {
          decoder: new opus.OpusEncoder(SAMPLE_RATE, 1),
          encoder: undefined,
          buffer: new Int16Array(MAX_BUFFER_SAMPLES),
          buffered: 0,
          playing: false,
          muted: false,
        });
      }
      break;
    case 'remove':
      participants.delete(command.id);
      break;
    case 'mute': {
      const participant = participants.get(command.id);
      if (participant) participant.muted = command.muted;
      break;
    }
    case 'frame': {
      const participant = participants.get(command.id);
      if (!participant || command.payload.byteLength === 0) break;
      try {
        append(participant, participant.decoder.decode(Buffer.from(command.payload.buffer, command.payload.byteOffset, command.payload.byteLength)));
      } catch {
        // A corrupt or hostile packet: drop it; the next one decodes on its own.
      }
      break;
    }
    case 'stop':
      if (timer) clearTimeout(timer);
      port.close();
      break;
  }
});

schedule();
