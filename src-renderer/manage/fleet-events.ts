import { useEffect, useState } from 'react';
import { FleetChanges, MANAGEMENT_EVENTS_PATH } from '../../src-shared/devices/management-events.schema';
import { ManageApiError, type ManageAuth } from './manage-api';

/**
 * The management event stream (`GET /management/v1/events`, decision 0019) as the page follows
 * it. `EventSource` cannot send a bearer token, so the stream is read with `fetch` through the
 * page's `ManageAuth` (a fresh token on every reconnect) and parsed here.
 */

/** One server-sent event: its `event:` name and joined `data:` lines. */
export interface SseFrame {
  event: string;
  data: string;
}

/** Splits complete frames off `buffer` (per the HTML SSE format: blank-line separated; comments skipped). */
export function takeSseFrames(buffer: string): { frames: SseFrame[]; rest: string } {
  const frames: SseFrame[] = [];
  const parts = buffer.replace(/\r\n?/g, '\n').split('\n\n');
  const rest = parts.pop() ?? '';
  for (const part of parts) {
    let event = 'message';
    const data: string[] = [];
    for (const line of part.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) frames.push({ event, data: data.join('\n') });
  }
  return { frames, rest };
}

/** Wait before reconnecting after the stream ended or failed. */
const RECONNECT_MS = 3000;

export interface FleetLive {
  /** Whether the stream is open now (changes show within about a second). */
  connected: boolean;
  /** Count up when devices / rooms may have changed: a list reads again when its count moves. */
  devicesRound: number;
  roomsRound: number;
}

/**
 * Follows the stream while mounted, reconnecting after a pause whenever it ends. Every
 * (re)connect counts as "anything may have changed" (changes in between are not replayed).
 * A signed-out session stops it; the lists' own reads then end the session.
 */
export function useFleetEvents(auth: ManageAuth): FleetLive {
  const [live, setLive] = useState<FleetLive>({ connected: false, devicesRound: 0, roomsRound: 0 });
  useEffect(() => {
    const abort = new AbortController();
    const { signal } = abort;
    const bump = (devices: boolean, rooms: boolean, connected?: boolean) =>
      setLive((l) => ({
        connected: connected ?? l.connected,
        devicesRound: l.devicesRound + (devices ? 1 : 0),
        roomsRound: l.roomsRound + (rooms ? 1 : 0),
      }));
    const pause = () => new Promise<void>((resolve) => setTimeout(resolve, RECONNECT_MS));

    const follow = async () => {
      let first = true;
      while (!signal.aborted) {
        try {
          const res = await auth.fetch(MANAGEMENT_EVENTS_PATH, { headers: { accept: 'text/event-stream' }, credentials: 'omit', cache: 'no-store', signal });
          if (res.ok && res.body) {
            // The first connect follows the lists' own first read; a reconnect may have missed changes.
            bump(!first, !first, true);
            first = false;
            const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
            let buffer = '';
            for (;;) {
              const { value, done } = await reader.read();
              if (done) break;
              const taken = takeSseFrames(buffer + value);
              buffer = taken.rest;
              for (const frame of taken.frames) {
                if (frame.event !== 'changed') continue;
                const parsed = FleetChanges.safeParse(JSON.parse(frame.data));
                if (!parsed.success) continue;
                const c = parsed.data;
                bump(c.all || c.devices.length > 0, c.all || c.rooms.length > 0);
              }
            }
          }
        } catch (err) {
          if (signal.aborted || (err instanceof ManageApiError && err.kind === 'expired')) return;
        }
        if (signal.aborted) return;
        setLive((l) => ({ ...l, connected: false }));
        await pause();
      }
    };
    void follow();
    return () => abort.abort();
  }, [auth]);
  return live;
}
