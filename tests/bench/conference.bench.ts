/**
 * `npm run bench:conference` — conference media numbers on this machine, printed as a table.
 *
 * Scenarios: 2 participants in direct media (browser to browser, the node only relays SDP), and
 * 3, 4 and 6 participants in server media (the werift engine in this process). Every participant
 * is a Chromium page with the fake 640×360/15 fps camera and an oscillator microphone; one
 * participant at a time is loud, rotating every few seconds, so the engine switches speakers.
 *
 * Measured:
 * - first frame: from a participant starting to join (local media ready, offer being made) to its first decoded remote main-video frame
 *   (median and worst over the participants);
 * - server CPU: process.cpuUsage() delta (all threads, including the mixer worker) over a quiet
 *   measurement window in which the bench only waits, divided by window length and participants;
 * - memory: RSS of this process at the end of the window, and its growth since before the call;
 * - freezes per switch: Chromium's inbound-rtp freezeCount added up over all receivers during the
 *   window, divided by the number of speaker switches in it.
 * - context: decoded fps, freezes per receiver-minute (the direct row is the no-switch baseline),
 *   the event loop's p99 delay and the load average, because these machines are shared.
 * Targets (issue 3): first frame ≤ 1.5 s, ≤ 5 % of one core per server-media participant.
 * Browsers share the 2 cores with the server, so treat the numbers as upper bounds.
 */
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ConferenceMedia } from '../../src-server/conference/media/conference-media';
import { weriftConferenceMediaFactory } from '../../src-server/conference/media/werift-conference-media';
import { MediaBrowser, waitFor, type MediaParticipant } from '../conference-media/media-browser';

const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 12_000);
const ROTATE_MS = 3_000;
const WARMUP_MS = 3_000;

interface Row {
  scenario: string;
  participants: number;
  firstFrameMedianMs: number;
  firstFrameMaxMs: number;
  cpuPerParticipantPct: number | null;
  cpuTotalPct: number;
  rssMb: number;
  rssGrowthMb: number;
  switches: number;
  freezesPerSwitch: number | null;
  framesPerSecond: number;
  freezesPerReceiverMinute: number;
  eventLoopP99Ms: number;
  loadAverage: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const names = ['ann', 'bo', 'cai', 'dan', 'eva', 'finn'];

/** First-frame times; a participant without a decoded frame within 45 s counts as Infinity. */
async function firstFrames(people: MediaParticipant[]): Promise<number[]> {
  return Promise.all(
    people.map((person) =>
      waitFor(`${person.id}'s first frame`, async () => (await person.stats()).firstFrameMs ?? undefined, 45_000).catch(
        (error: unknown) => {
          console.error(String(error));
          return Number.POSITIVE_INFINITY;
        },
      ),
    ),
  );
}

async function totals(people: MediaParticipant[]): Promise<{ freezes: number; frames: number }> {
  let freezes = 0;
  let frames = 0;
  for (const person of people) {
    const stats = await person.stats();
    freezes += stats.main?.freezeCount ?? 0;
    frames += stats.main?.framesDecoded ?? 0;
  }
  return { freezes, frames };
}

async function measureWindow(
  people: MediaParticipant[],
  media: ConferenceMedia | undefined,
  rssBefore: number,
): Promise<Omit<Row, 'scenario' | 'participants' | 'firstFrameMedianMs' | 'firstFrameMaxMs'>> {
  await sleep(WARMUP_MS);
  const before = await totals(people);
  const switchesBefore = media?.stats().speakerSwitches ?? 0;
  const cpuBefore = process.cpuUsage();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const started = performance.now();
  // Rotate the loud participant; between rotations the bench only sleeps.
  let loud = 0;
  while (performance.now() - started < WINDOW_MS) {
    await sleep(ROTATE_MS);
    if (media) {
      await people[loud]!.setLoud(false);
      loud = (loud + 1) % people.length;
      await people[loud]!.setLoud(true);
    }
  }
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  loop.disable();
  const after = await totals(people);
  const switches = (media?.stats().speakerSwitches ?? 0) - switchesBefore;
  const cpuTotalPct = ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100;
  const rss = process.memoryUsage().rss;
  return {
    cpuTotalPct,
    cpuPerParticipantPct: media ? cpuTotalPct / people.length : null,
    rssMb: rss / 2 ** 20,
    rssGrowthMb: (rss - rssBefore) / 2 ** 20,
    switches,
    freezesPerSwitch: media && switches > 0 ? (after.freezes - before.freezes) / switches : null,
    framesPerSecond: (after.frames - before.frames) / people.length / (elapsedMs / 1000),
    freezesPerReceiverMinute: (after.freezes - before.freezes) / people.length / (elapsedMs / 60_000),
    eventLoopP99Ms: loop.percentile(99) / 1e6,
    loadAverage: loadavg()[0]!,
  };
}

async function direct(browser: MediaBrowser): Promise<Row> {
  const rssBefore = process.memoryUsage().rss;
  const options = { fakeCamera: true, loud: true };
  const first = await browser.participantWith('ann', async () => {
    throw new Error('the first direct-media participant only answers');
  });
  const second = await browser.participantWith('bo', async (op, sdp) => {
    if (op !== 'add') throw new Error('renegotiation is not part of this benchmark');
    return first.answer(options, sdp);
  });
  const people = [first, second];
  try {
    await second.join(options);
    const frames = await firstFrames(people);
    const window = await measureWindow(people, undefined, rssBefore);
    return {
      scenario: 'direct',
      participants: 2,
      firstFrameMedianMs: median(frames),
      firstFrameMaxMs: Math.max(...frames),
      ...window,
    };
  } finally {
    for (const person of people) await person.close();
  }
}

async function serverMedia(browser: MediaBrowser, count: number): Promise<Row> {
  const rssBefore = process.memoryUsage().rss;
  const media = weriftConferenceMediaFactory({ warn: () => undefined })(`bench-${count}`);
  const people: MediaParticipant[] = [];
  try {
    for (const id of names.slice(0, count)) {
      const person = await browser.participant(id, media);
      people.push(person);
      // Joins are spread out as people arrive in a real meeting; the first one speaks.
      await person.join({ fakeCamera: true, loud: people.length === 1 });
    }
    const frames = await firstFrames(people);
    const window = await measureWindow(people, media, rssBefore);
    return {
      scenario: 'server',
      participants: count,
      firstFrameMedianMs: median(frames),
      firstFrameMaxMs: Math.max(...frames),
      ...window,
    };
  } finally {
    for (const person of people) await person.close();
    await media.close();
  }
}

function printTable(rows: Row[]): void {
  const fmt = (value: number | null, digits = 1) => (value === null ? '–' : value.toFixed(digits));
  const table = rows.map((row) => ({
    media: row.scenario,
    participants: row.participants,
    'first frame median ms': Math.round(row.firstFrameMedianMs),
    'first frame max ms': Math.round(row.firstFrameMaxMs),
    'server CPU % core / participant': fmt(row.cpuPerParticipantPct),
    'server CPU % core total': fmt(row.cpuTotalPct),
    'RSS MB': fmt(row.rssMb, 0),
    'RSS growth MB': fmt(row.rssGrowthMb, 0),
    'speaker switches': row.switches,
    'freezes / switch': fmt(row.freezesPerSwitch, 2),
    'decoded fps / receiver': fmt(row.framesPerSecond),
    'freezes / receiver / min': fmt(row.freezesPerReceiverMinute),
    'event loop p99 ms': fmt(row.eventLoopP99Ms, 0),
    'load avg (2 cores)': fmt(row.loadAverage),
  }));
  console.table(table);
  console.log('Targets: first frame ≤ 1500 ms; server media ≤ 5 % of one core per participant.');
  console.log('Direct media: the server carries no media, so its CPU is the bench process idling.');
  console.log('Freezes also happen without switches on a loaded machine: compare with the direct row.');
}

async function main(): Promise<void> {
  const sizes = (process.env.BENCH_SIZES ?? '3,4,6').split(',').map(Number);
  const browser = await MediaBrowser.launch();
  const rows: Row[] = [];
  try {
    rows.push(await direct(browser));
    for (const size of sizes) rows.push(await serverMedia(browser, size));
  } finally {
    await browser.close();
  }
  printTable(rows);
}

const deadline = setTimeout(() => {
  console.error('bench:conference did not finish within 10 minutes');
  process.exit(1);
}, 600_000);
deadline.unref();

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
