import { describe, expect, it } from 'vitest';
import { Preflight } from '../../../src-shared/devices/heartbeat.schema';
import { NO_UI_ANSWER, toPreflight } from './preflight-report';

const AT = '2026-03-02T09:58:30.000Z';
const meeting = { id: 'm1', alias: 'meet.1@vdx.test' };

describe('toPreflight', () => {
  it('maps the UI media checks and the node probe onto the shared schema', () => {
    const p = toPreflight(
      meeting,
      AT,
      { camera: { ok: false, deviceLabel: null, error: 'NotReadableError' }, microphone: { ok: true, deviceLabel: 'Mic', error: null } },
      { reachable: true, latencyMs: 37, error: null },
    );
    expect(Preflight.parse(p)).toEqual({
      checkedAt: AT,
      meetingUuid: 'm1',
      alias: 'meet.1@vdx.test',
      camera: { ok: false, detail: 'NotReadableError' },
      microphone: { ok: true, deviceLabel: 'Mic' },
      conferenceNode: { ok: true, latencyMs: 37 },
    });
  });

  it('fails camera and microphone when the UI did not answer, and clips texts so the heartbeat stays valid', () => {
    const p = toPreflight({ id: 'x'.repeat(65), alias: 'a' }, AT, null, { reachable: false, latencyMs: null, error: 'e'.repeat(5000) });
    expect(Preflight.safeParse(p).success).toBe(true);
    expect(p.camera).toEqual({ ok: false, detail: NO_UI_ANSWER });
    expect(p.microphone).toEqual({ ok: false, detail: NO_UI_ANSWER });
    expect(p.meetingUuid).toBeUndefined();
    expect(p.conferenceNode.ok).toBe(false);
    expect(p.conferenceNode.detail).toHaveLength(1000);
  });
});
