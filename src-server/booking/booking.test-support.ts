import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { VdxRole } from '../../src-shared/auth/roles';
import type { TestApp } from '../test-support/test-app';
import { tokenFor, type TokenSpec } from '../test-support/tokens';

/** Small builders shared by the booking route tests. */
export const ORG = 'region-h';
export const OTHER_ORG = 'region-s';
export const API = '/videoapi/v2';

export interface Callers {
  userA: string;
  userB: string;
  planner: string;
  admin: string;
  provisioner: string;
  provisionerUser: string;
  otherPlanner: string;
  otherAdmin: string;
  noRole: string;
}

export async function callers(t: TestApp, org: Partial<TokenSpec> = {}): Promise<Callers> {
  const mk = (roles: VdxRole[], email: string | undefined, organisation = ORG) =>
    tokenFor(t, { roles, organisation, email, ...org });
  return {
    userA: await mk(['meeting-user'], 'a@region-h.dk'),
    userB: await mk(['meeting-user'], 'b@region-h.dk'),
    planner: await mk(['meeting-planner'], 'planner@region-h.dk'),
    admin: await mk(['meeting-admin'], 'admin@region-h.dk'),
    provisioner: await mk(['meeting-provisioner'], undefined),
    provisionerUser: await mk(['meeting-provisioner-user'], undefined),
    otherPlanner: await mk(['meeting-planner'], 'planner@region-s.dk', OTHER_ORG),
    otherAdmin: await mk(['meeting-admin'], 'admin@region-s.dk', OTHER_ORG),
    noRole: await mk([], 'nobody@region-h.dk'),
  };
}

export function call(t: TestApp, token: string | null, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown) {
  return t.app.inject({
    method,
    url: url.startsWith('/') ? url : `${API}/${url}`,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(body === undefined ? {} : { payload: body as object }),
  });
}

/** A template body with a small, predictable number space. */
export function templateBody(overrides: Record<string, unknown> = {}) {
  return {
    conferencingSysId: 7,
    uriPrefix: 'rh',
    uriDomain: 'video.test',
    uriNumberRangeLow: 1000,
    uriNumberRangeHigh: 2000,
    hostPinRequired: true,
    hostPinRangeLow: 1000,
    hostPinRangeHigh: 10000,
    guestPinRequired: false,
    guestPinRangeLow: 100000,
    guestPinRangeHigh: 1000000,
    vMRAvailableBefore: 15,
    maxParticipants: 10,
    endMeetingOnEndTime: false,
    ivrTheme: '/api/admin/configuration/v1/ivr_theme/10/',
    isDefaultTemplate: true,
    // The API's default is `never`; the conference tests that use this template rely on direct media.
    directMedia: 'best_effort',
    ...overrides,
  };
}

export function meetingBody(overrides: Record<string, unknown> = {}) {
  return {
    subject: 'Samtale om genoptræning',
    description: 'Videokonsultation',
    startTime: '2026-03-10T09:00:00Z',
    endTime: '2026-03-10T10:00:00Z',
    ...overrides,
  };
}

/** Asserts the VDX error body and returns it. */
export function expectVdxError(res: LightMyRequestResponse, status: number, code: number) {
  const body = res.json() as Record<string, unknown>;
  expect({ status: res.statusCode, code: body.detailed_error_code, body }).toMatchObject({ status, code: String(code) });
  expect(Object.keys(body).sort()).toEqual(['detailed_error', 'detailed_error_code', 'error', 'path', 'status', 'timestamp']);
  expect(body.status).toBe(status);
  expect(typeof body.detailed_error).toBe('string');
  expect(typeof body.error).toBe('string');
  return body;
}

/**
 * The app runs the conference node as an embedded provisioner that takes due scheduling infos off
 * the queues by itself. These tests play the provisioner through the API, so they stop it first.
 */
export async function stopEmbeddedProvisioner(t: TestApp): Promise<void> {
  await t.handles.conferenceProvisioner.stop();
}
