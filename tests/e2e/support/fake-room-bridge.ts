/**
 * A stand-in for the Electron preload's `window.vdxRoom`, injected into the room page by browser
 * tests that exercise the UI alone (the real agent has its own end-to-end test). It keeps an
 * in-page agent state, records every call in `window.__bridgeCalls`, and lets the test push events
 * with `window.__bridgeEmit(event, payload)`.
 */
export function fakeRoomBridgeScript(options: { roomName: string; meetingsInMinutes: [number, number, string][] }): string {
  return `(() => {
  const options = ${JSON.stringify(options)};
  const listeners = new Map();
  const calls = [];
  window.__bridgeCalls = calls;
  const now = Date.now();
  const iso = (min) => new Date(now + min * 60000).toISOString();
  const room = {
    deviceId: 'dev-1', roomId: 'room-1', roomName: options.roomName, organisation: 'Region Test',
    theme: null, showSubjects: true, locale: 'da', conferenceBaseUrl: location.origin,
  };
  const schedule = {
    meetings: options.meetingsInMinutes.map(([start, end, subject], i) => ({
      id: 'm' + i, subject, startTime: iso(start), endTime: iso(end), alias: 'meet.' + i + '@vdx.test',
      role: 'host', pinRequired: false, endMeetingOnEndTime: true, autoJoinAt: iso(start),
    })),
    syncedAt: new Date(now).toISOString(), source: 'live',
  };
  let app = {
    agent: { kind: 'unprovisioned', lastError: null }, update: { kind: 'idle' }, online: true,
    shell: 'electron', mode: 'kiosk', appVersion: '0.1.0-test', locale: 'da',
  };
  const emit = (event, payload) => (listeners.get(event) || []).forEach((l) => l(payload));
  window.__bridgeEmit = emit;
  const record = (channel) => async (request) => { calls.push({ channel, request }); };
  const ack = (channel) => async (request) => { calls.push({ channel, request }); return { ok: true }; };
  window.vdxRoom = {
    provisioning: {
      async activate(request) {
        calls.push({ channel: 'provisioning:activate', request });
        if (request.code === 'XXXX-XXXX-XXXX') throw { code: 'invalid_activation_code', message: 'Ukendt kode' };
        app = { ...app, agent: { kind: 'ready', room } };
        setTimeout(() => emit('app:state-changed', app), 0);
        return app.agent;
      },
      async state() { return app.agent; },
    },
    schedule: { async get(request) { calls.push({ channel: 'schedule:get', request }); return schedule; } },
    call: {
      async join(request) { calls.push({ channel: 'call:join', request }); throw { code: 'offline', message: 'test bridge' }; },
      connected: ack('call:connected'), failed: ack('call:failed'), leave: ack('call:leave'),
      reportStats: ack('call:report-stats'), ended: ack('call:ended'),
    },
    preflight: { report: ack('preflight:report') },
    media: { reportDevices: ack('media:report-devices') },
    settings: {
      async get() { return { cameraId: null, microphoneId: null, speakerId: null, locale: null }; },
      async set(request) { calls.push({ channel: 'settings:set', request }); return { cameraId: null, microphoneId: null, speakerId: null, locale: null, ...request }; },
    },
    app: { async state() { return app; }, adminExit: ack('app:admin-exit') },
    message: { dismiss: ack('message:dismiss') },
    on(event, listener) {
      const list = listeners.get(event) || [];
      list.push(listener);
      listeners.set(event, list);
      return () => listeners.set(event, (listeners.get(event) || []).filter((l) => l !== listener));
    },
  };
  void record;
})();`;
}
