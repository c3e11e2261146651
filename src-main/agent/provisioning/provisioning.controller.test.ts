import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentState } from '../../../src-shared/ipc/room-bridge.contract';
import { MemorySecretStore } from '../platform/memory-platform';
import type { ShellControl } from '../platform/platform';
import { controllerContext, type ControllerContext } from '../test-support/controller-context';
import { FakeDeviceServer, VALID_CODE } from '../test-support/fake-device-server';
import { fakeSystem } from '../test-support/test-agent';
import { ProvisioningController } from './provisioning.controller';

let server: FakeDeviceServer;
beforeEach(async () => {
  server = await new FakeDeviceServer().start();
});
afterEach(async () => {
  await server.stop().catch(() => {});
});

function setup(ctx: ControllerContext = controllerContext(), secrets = new MemorySecretStore(), defaultServerUrl: string | null = server.url) {
  const hooks: string[] = [];
  const provisioning = new ProvisioningController(ctx, {
    fetch: globalThis.fetch, secrets, system: fakeSystem, shell: { appVersion: '1.2.3' } as ShellControl, defaultServerUrl, zeroTouch: null,
    showSubjects: () => true,
    hooks: {
      configApplied: (c) => void hooks.push(`config:${c.room.name}`),
      connected: async () => void hooks.push('connected'),
      leaveCall: () => void hooks.push('leave'),
      detach: () => (hooks.push('detach'), () => void hooks.push('last')),
      wiped: () => void hooks.push('wiped'),
      onlineChanged: () => void hooks.push(`online:${provisioning.online}`),
    },
  });
  const kinds = () => ctx.of<AgentState>('provisioning:changed').map((s) => s.kind);
  return { ctx, secrets, provisioning, hooks, kinds };
}

describe('provisioning', () => {
  it('enrols, applies the config, and hands over to the rest once ready', async () => {
    const s = setup();
    await s.provisioning.start();
    const state = await s.provisioning.handlers['provisioning:activate']({ code: VALID_CODE });
    expect(state).toMatchObject({ kind: 'ready', room: { roomName: 'Mødelokale 3', conferenceBaseUrl: server.url } });
    expect(s.kinds()).toEqual(['unprovisioned', 'enrolling', 'ready', 'ready']);
    expect(s.hooks).toEqual(['config:Mødelokale 3', 'online:true', 'connected']);
    await expect(s.provisioning.handlers['provisioning:activate']({ code: VALID_CODE })).rejects.toMatchObject({ code: 'already_provisioned' });
  });

  it('says the server cannot be reached when enrolment fails offline, and stays unprovisioned', async () => {
    await server.stop();
    const s = setup();
    await expect(s.provisioning.handlers['provisioning:activate']({ code: VALID_CODE })).rejects.toMatchObject({ code: 'offline' });
    expect(s.ctx.state.current).toMatchObject({ kind: 'unprovisioned', lastError: { code: 'offline' } });
  });

  it('needs a server for a typed code', async () => {
    const s = setup(controllerContext(), new MemorySecretStore(), null);
    await expect(s.provisioning.handlers['provisioning:activate']({ code: VALID_CODE })).rejects.toMatchObject({ code: 'invalid_request' });
    expect(() => s.provisioning.requireRoom()).toThrow(expect.objectContaining({ code: 'not_provisioned' }));
  });

  it('starts from the cached config after a restart while the server is down, and ignores a damaged one', async () => {
    const s = setup();
    await s.provisioning.handlers['provisioning:activate']({ code: VALID_CODE });
    await server.stop();
    const again = setup(s.ctx, s.secrets);
    await again.provisioning.start();
    expect(again.provisioning.room?.conferenceBaseUrl).toBe(server.url); // from the cached config
    s.ctx.settings.set('config', { room: 'garbled' });
    const third = setup(s.ctx, s.secrets);
    await third.provisioning.start();
    expect(third.provisioning.room).toMatchObject({ roomName: 'Mødelokale 3', conferenceBaseUrl: server.url, theme: null }); // from the record
    expect(third.provisioning.config).toBeNull();
  });

  it('on revocation leaves the call, detaches, wipes the credential and the config, then shows why', async () => {
    const s = setup();
    await s.provisioning.handlers['provisioning:activate']({ code: VALID_CODE });
    s.hooks.length = 0;
    await s.provisioning.revoked('revoked by IT');
    expect(s.hooks).toEqual(['leave', 'detach', 'wiped', 'online:false', 'last']);
    expect(s.secrets.values.size).toBe(0);
    expect(s.ctx.settings.values.has('config')).toBe(false);
    expect(s.ctx.state.current).toMatchObject({ kind: 'unprovisioned', lastError: { code: 'not_provisioned' } });
    expect(s.provisioning.api).toBeNull();
  });
});
