import type { Preflight, PreflightCheck } from '../../../src-shared/devices/heartbeat.schema';
import type { MediaCheck } from '../../../src-shared/ipc/room-bridge.contract';

/** Conference-node reachability as the agent probed it. */
export interface NodeProbe {
  reachable: boolean;
  latencyMs: number | null;
  error: string | null;
}

/** What the report says when the room UI did not answer the media half of the check in time. */
export const NO_UI_ANSWER = 'no_answer';

/**
 * Builds the heartbeat's `preflight` object (shared schema `Preflight`) from the UI's media checks
 * (`null` when the UI did not answer) and the agent's node probe. Strings are clipped to the
 * schema's limits: one over-long error text must not get the whole heartbeat refused with 400.
 */
export function toPreflight(
  meeting: { id: string; alias: string },
  checkedAt: string,
  media: { camera: MediaCheck; microphone: MediaCheck } | null,
  node: NodeProbe,
): Preflight {
  return {
    checkedAt,
    ...(meeting.id.length <= 64 ? { meetingUuid: meeting.id } : {}),
    ...(meeting.alias.length <= 256 ? { alias: meeting.alias } : {}),
    camera: media ? check(media.camera) : { ok: false, detail: NO_UI_ANSWER },
    microphone: media ? check(media.microphone) : { ok: false, detail: NO_UI_ANSWER },
    conferenceNode: {
      ok: node.reachable,
      ...(node.latencyMs !== null ? { latencyMs: Math.min(Math.max(node.latencyMs, 0), 600_000) } : {}),
      ...(node.error ? { detail: clip(node.error, 1000) } : {}),
    },
  };
}

function check(c: MediaCheck): PreflightCheck {
  return {
    ok: c.ok,
    ...(c.deviceLabel ? { deviceLabel: clip(c.deviceLabel, 256) } : {}),
    ...(c.error ? { detail: clip(c.error, 1000) } : {}),
  };
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max);
}
