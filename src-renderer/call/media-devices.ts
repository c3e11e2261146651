/**
 * Local camera/microphone handling shared by the guest page, the room and the call view:
 * acquiring a stream for the chosen devices, remembering that choice, and a microphone level meter.
 */

/** The user's device choice; `undefined` means "the system default". */
export interface DeviceChoice {
  cameraId?: string;
  microphoneId?: string;
  speakerId?: string;
}

/** Minimal storage so tests (and shells without localStorage) can supply their own. */
export interface ChoiceStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const STORAGE_KEY = 'vdx.deviceChoice';

/** Reads the remembered device choice; unreadable or foreign data counts as "no choice". */
export function loadDeviceChoice(storage: ChoiceStorage | undefined = safeLocalStorage()): DeviceChoice {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (!raw) return {};
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return {};
    const pick = (k: string): string | undefined => {
      const v = (parsed as Record<string, unknown>)[k];
      return typeof v === 'string' && v.length > 0 && v.length < 512 ? v : undefined;
    };
    return { cameraId: pick('cameraId'), microphoneId: pick('microphoneId'), speakerId: pick('speakerId') };
  } catch {
    return {};
  }
}

/** Remembers the device choice (cameras are "not remembered" is a top complaint about room apps). */
export function saveDeviceChoice(choice: DeviceChoice, storage: ChoiceStorage | undefined = safeLocalStorage()): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(choice));
  } catch {
    // Storage full or disabled (private mode): the choice simply is not remembered.
  }
}

function safeLocalStorage(): ChoiceStorage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

/** Capture constraints: modest resolution keeps kiosks and phones cool and the node's mix cheap. */
export function mediaConstraints(choice: DeviceChoice, want: { audio: boolean; video: boolean }): MediaStreamConstraints {
  return {
    audio: want.audio
      ? { ...(choice.microphoneId ? { deviceId: { ideal: choice.microphoneId } } : {}), echoCancellation: true, noiseSuppression: true }
      : false,
    video: want.video
      ? {
          ...(choice.cameraId ? { deviceId: { ideal: choice.cameraId } } : {}),
          width: { ideal: 1280 },
          height: { ideal: 720 },
          frameRate: { ideal: 30, max: 30 },
        }
      : false,
  };
}

/** Outcome of asking for the camera and microphone. */
export type LocalMediaResult =
  | { kind: 'ok'; stream: MediaStream }
  | { kind: 'denied' }
  | { kind: 'unavailable'; message: string };

/** A camera that never answers (driver hang, device held by another app) must not block joining. */
const OPEN_TIMEOUT_MS = 15_000;

function getUserMediaWithin(constraints: MediaStreamConstraints, timeoutMs: number): Promise<MediaStream> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      reject(new DOMException('Camera or microphone did not answer in time', 'AbortError'));
    }, timeoutMs);
    navigator.mediaDevices.getUserMedia(constraints).then(
      (stream) => {
        clearTimeout(timer);
        // Too late: the caller has moved on; release the devices again.
        if (settled) stream.getTracks().forEach((t) => t.stop());
        else resolve(stream);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (!settled) reject(error);
      },
    );
  });
}

/**
 * Opens camera and microphone. Falls back to audio-only, then to no media, so a person without a
 * camera (or who refused it) can still join and listen.
 */
export async function openLocalMedia(choice: DeviceChoice, timeoutMs = OPEN_TIMEOUT_MS): Promise<LocalMediaResult> {
  if (!navigator.mediaDevices?.getUserMedia) return { kind: 'unavailable', message: 'getUserMedia is not available' };
  try {
    return { kind: 'ok', stream: await getUserMediaWithin(mediaConstraints(choice, { audio: true, video: true }), timeoutMs) };
  } catch (error) {
    if (error instanceof DOMException && error.name === 'NotAllowedError') return { kind: 'denied' };
    try {
      return { kind: 'ok', stream: await getUserMediaWithin(mediaConstraints(choice, { audio: true, video: false }), timeoutMs) };
    } catch (second) {
      if (second instanceof DOMException && second.name === 'NotAllowedError') return { kind: 'denied' };
      return { kind: 'unavailable', message: second instanceof Error ? second.message : String(second) };
    }
  }
}

/** Stops every track of a stream (turns the camera light off). */
export function stopStream(stream: MediaStream | undefined): void {
  stream?.getTracks().forEach((t) => t.stop());
}

/** Cameras, microphones and speakers, labelled once permission was granted. */
export interface DeviceLists {
  cameras: MediaDeviceInfo[];
  microphones: MediaDeviceInfo[];
  speakers: MediaDeviceInfo[];
}

export async function listDevices(): Promise<DeviceLists> {
  const all = navigator.mediaDevices?.enumerateDevices ? await navigator.mediaDevices.enumerateDevices() : [];
  return {
    cameras: all.filter((d) => d.kind === 'videoinput'),
    microphones: all.filter((d) => d.kind === 'audioinput'),
    speakers: all.filter((d) => d.kind === 'audiooutput'),
  };
}

/**
 * Converts analyser samples (0..255 time-domain bytes, 128 = silence) into a 0..1 level:
 * RMS of the deviation, scaled so ordinary speech reaches the upper half of the meter.
 */
export function levelFromSamples(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const centred = ((samples[i] ?? 128) - 128) / 128;
    sum += centred * centred;
  }
  const rms = Math.sqrt(sum / samples.length);
  return Math.min(1, rms * 4);
}

/**
 * Watches a stream's microphone level for the pre-call test. Calls `onLevel` about 15 times a
 * second; the returned function stops watching and closes the audio context.
 */
export function watchMicrophoneLevel(stream: MediaStream, onLevel: (level: number) => void): () => void {
  if (stream.getAudioTracks().length === 0 || typeof AudioContext === 'undefined') {
    onLevel(0);
    return () => undefined;
  }
  const context = new AudioContext();
  const source = context.createMediaStreamSource(stream);
  const analyser = context.createAnalyser();
  analyser.fftSize = 512;
  source.connect(analyser);
  const samples = new Uint8Array(analyser.fftSize);
  const timer = setInterval(() => {
    analyser.getByteTimeDomainData(samples);
    onLevel(levelFromSamples(samples));
  }, 66);
  return () => {
    clearInterval(timer);
    source.disconnect();
    void context.close();
  };
}
