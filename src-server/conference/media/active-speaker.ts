/**
 * Voice-activated speaker selection with hysteresis.
 *
 * Levels are "loudness above silence" in dB: 127 minus the level in -dBov, so 0 is digital silence
 * (RFC 6464's 127) and 127 is full scale; the default speech threshold 77 is -50 dBov. They arrive from the RFC 6464 audio-level header extension when the participant's
 * browser sends it, otherwise from the energy the audio mixer measures after decoding.
 *
 * Hysteresis rules (why: a switch costs every receiver a keyframe, and flapping video between two
 * people talking over each other is worse than a short delay):
 * - levels are smoothed over ~300 ms, so one loud packet (a cough, a click) does not switch;
 * - a participant must be above the speech threshold to be chosen at all;
 * - a challenger replaces the current speaker only after being louder by `marginDb` for
 *   `holdMs` continuously, and never sooner than `minSpeakerMs` after the previous switch;
 * - the first speaker is taken as soon as anyone speaks (nothing to flap with).
 * Muted participants never speak. The current speaker stays when everyone falls silent, so the
 * picture does not jump to someone random.
 */

export interface ActiveSpeakerOptions {
  /** Smoothed loudness (dB above silence) a participant needs to count as speaking. */
  speechThresholdDb: number;
  /** How much louder a challenger must be than the current speaker. */
  marginDb: number;
  /** How long the challenger must stay louder. */
  holdMs: number;
  /** Minimum time between two switches. */
  minSpeakerMs: number;
  /** Time constant of the level smoothing. */
  smoothingMs: number;
}

export const DEFAULT_ACTIVE_SPEAKER_OPTIONS: ActiveSpeakerOptions = {
  speechThresholdDb: 77,
  marginDb: 6,
  holdMs: 500,
  minSpeakerMs: 1000,
  smoothingMs: 300,
};

interface ParticipantLevel {
  smoothed: number;
  lastAt: number | undefined;
  muted: boolean;
}

export class ActiveSpeakerDetector {
  private readonly levels = new Map<string, ParticipantLevel>();
  private speaker: string | null = null;
  private previous: string | null = null;
  private challenger: { id: string; since: number } | undefined;
  private lastSwitchAt = Number.NEGATIVE_INFINITY;
  /** True while the speaker was picked only so that video flows, before anyone spoke. */
  private placeholder = false;
  private readonly options: ActiveSpeakerOptions;

  constructor(options: Partial<ActiveSpeakerOptions> = {}) {
    this.options = { ...DEFAULT_ACTIVE_SPEAKER_OPTIONS, ...options };
  }

  get current(): string | null {
    return this.speaker;
  }

  /** The speaker before the current one (what the current speaker sees). */
  get before(): string | null {
    return this.previous;
  }

  add(id: string): void {
    if (!this.levels.has(id)) this.levels.set(id, { smoothed: 0, lastAt: undefined, muted: false });
  }

  remove(id: string): void {
    this.levels.delete(id);
    if (this.previous === id) this.previous = null;
    if (this.challenger?.id === id) this.challenger = undefined;
    if (this.speaker === id) {
      this.speaker = this.previous;
      this.previous = null;
    }
  }

  setMuted(id: string, muted: boolean): void {
    const level = this.levels.get(id);
    if (!level) return;
    level.muted = muted;
    if (muted) level.smoothed = 0;
  }

  /** Records a loudness sample (dB above silence, 0..127) for a participant at time `now` (ms). */
  report(id: string, loudnessDb: number, now: number): void {
    const level = this.levels.get(id);
    if (!level || level.muted) return;
    const dt = level.lastAt === undefined ? this.options.smoothingMs : Math.max(0, now - level.lastAt);
    const alpha = 1 - Math.exp(-dt / this.options.smoothingMs);
    level.smoothed += alpha * (Math.max(0, Math.min(127, loudnessDb)) - level.smoothed);
    level.lastAt = now;
  }

  /**
   * Re-evaluates the speaker at time `now`; returns the new speaker when it changed, else undefined.
   * Participants that stopped reporting decay toward silence.
   */
  evaluate(now: number): string | null | undefined {
    let loudest: { id: string; level: number } | undefined;
    for (const [id, level] of this.levels) {
      if (level.muted) continue;
      if (level.lastAt !== undefined && now - level.lastAt > this.options.smoothingMs) {
        // No packets (muted at the browser, DTX): let the level fall as if silence arrived.
        this.report(id, 0, now);
      }
      if (!loudest || level.smoothed > loudest.level) loudest = { id, level: level.smoothed };
    }
    if (!loudest || loudest.level < this.options.speechThresholdDb) {
      this.challenger = undefined;
      return this.fallbackIfGone();
    }
    if (this.speaker === null || this.placeholder) return this.switchTo(loudest.id, now);
    if (loudest.id === this.speaker) {
      this.challenger = undefined;
      return undefined;
    }
    const currentLevel = this.levels.get(this.speaker)?.smoothed ?? 0;
    if (loudest.level < currentLevel + this.options.marginDb) {
      this.challenger = undefined;
      return undefined;
    }
    if (this.challenger?.id !== loudest.id) this.challenger = { id: loudest.id, since: now };
    if (now - this.challenger.since < this.options.holdMs) return undefined;
    if (now - this.lastSwitchAt < this.options.minSpeakerMs) return undefined;
    return this.switchTo(loudest.id, now);
  }

  /** When no speaker is chosen yet but participants exist, pick one so video flows at all. */
  private fallbackIfGone(): string | null | undefined {
    if (this.speaker !== null && this.levels.has(this.speaker)) return undefined;
    const first = this.levels.keys().next();
    const next = first.done ? null : first.value;
    if (next === this.speaker) return undefined;
    this.speaker = next;
    this.placeholder = true;
    return next;
  }

  private switchTo(id: string, now: number): string {
    if (this.speaker !== null && this.speaker !== id) this.previous = this.speaker;
    this.speaker = id;
    this.placeholder = false;
    this.challenger = undefined;
    this.lastSwitchAt = now;
    return id;
  }
}
