import type { LightMyRequestResponse } from 'fastify';
import { expect, it } from 'vitest';
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

// ---- contract tests (booking.contract.*.test.ts): the spec's facts as tables

/** The five VDX roles (the spec's `dk:medcom:video:role` values). */
export const VDX_ROLES = ['meeting-user', 'meeting-planner', 'meeting-admin', 'meeting-provisioner', 'meeting-provisioner-user'] as const satisfies readonly VdxRole[];

export type Role = (typeof VDX_ROLES)[number];
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** An operation's URL, or how to make one (e.g. a fresh meeting for each write). */
export type Target = string | (() => Promise<string> | string);

/**
 * The role rules of one operation, as the real integration tests pin them: no token or no VDX
 * role → 401, each role the operation does not list → 403, every listed role gets past (its
 * answer is whatever the request deserves, never 401/403). Registers one test per case.
 */
export function expectRoleRules(
  ctx: () => { t: TestApp; c: Callers },
  method: Method,
  target: Target,
  allowed: readonly Role[],
  body?: () => Record<string, unknown>,
): void {
  const url = async () => (typeof target === 'string' ? target : target());
  it('answers 401 code 11 without a token', async () => {
    expectVdxError(await call(ctx().t, null, method, await url(), body?.()), 401, 11);
  });
  it('answers 401 code 11 to a token with no VDX role', async () => {
    expectVdxError(await call(ctx().t, ctx().c.noRole, method, await url(), body?.()), 401, 11);
  });
  const denied = VDX_ROLES.filter((r) => !allowed.includes(r));
  if (denied.length > 0) {
    it.each(denied)('answers 403 code 11 to %s', async (role) => {
      expectVdxError(await call(ctx().t, tokenOfRole(ctx().c, role), method, await url(), body?.()), 403, 11);
    });
  }
  it.each([...allowed])('lets %s past the role check', async (role) => {
    const res = await call(ctx().t, tokenOfRole(ctx().c, role), method, await url(), body?.());
    expect([401, 403], res.body).not.toContain(res.statusCode);
  });
}

/** A token per role, from `callers()`. */
export function tokenOfRole(c: Callers, role: Role): string {
  return { 'meeting-user': c.userA, 'meeting-planner': c.planner, 'meeting-admin': c.admin, 'meeting-provisioner': c.provisioner, 'meeting-provisioner-user': c.provisionerUser }[role];
}

/**
 * A field's type in a response schema of the spec: `?` = may be null (optional in the spec; we
 * always send the key). `datetime` is the v2 output format, as the real ITs match it.
 */
export type SpecType = 'string' | 'integer' | 'boolean' | 'object' | 'array' | 'datetime' | 'uuid';
export type SpecFields = Record<string, SpecType | `${SpecType}?`>;

const VDX_DATETIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\+01:00|\+02:00|Z)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Asserts every field of `spec` is present with its type (null only where `?`). */
export function expectSpecFields(body: Record<string, unknown>, spec: SpecFields, where = 'answer'): void {
  const wrong: string[] = [];
  for (const [field, declared] of Object.entries(spec)) {
    const nullable = declared.endsWith('?');
    const type = declared.replace('?', '') as SpecType;
    const v = body[field];
    if (!(field in body)) wrong.push(`${field}: missing`);
    else if (v === null) {
      if (!nullable) wrong.push(`${field}: null`);
    } else {
      const ok = {
        string: typeof v === 'string',
        integer: Number.isInteger(v),
        boolean: typeof v === 'boolean',
        object: typeof v === 'object' && !Array.isArray(v),
        array: Array.isArray(v),
        datetime: typeof v === 'string' && VDX_DATETIME.test(v),
        uuid: typeof v === 'string' && UUID.test(v),
      }[type];
      if (!ok) wrong.push(`${field}: ${JSON.stringify(v)} is not ${type}`);
    }
  }
  expect(wrong, where).toEqual([]);
}

/** The spec's `meeting` schema (required: subject, uuid, createdBy, organizedBy, startTime, endTime, _links, shortId). */
export const SPEC_MEETING: SpecFields = {
  subject: 'string', uuid: 'uuid', createdBy: 'object', updatedBy: 'object?', organizedBy: 'object', startTime: 'datetime', endTime: 'datetime',
  description: 'string?', projectCode: 'string?', createdTime: 'datetime?', updatedTime: 'datetime?', shortId: 'string', shortLink: 'string?',
  shortlink: 'string?', externalId: 'string?', guestMicrophone: 'string?', guestPinRequired: 'boolean?', labels: 'array?', _links: 'object',
  additionalInformation: 'array?',
};

/** The spec's `scheduling-info` schema (required: uuid, vmrAvailableBefore, maxParticipants, endMeetingOnEndTime, uriWithDomain, uriWithoutDomain, provisionStatus). */
export const SPEC_SCHEDULING_INFO: SpecFields = {
  uuid: 'uuid', hostPin: 'integer?', guestPin: 'integer?', vmrAvailableBefore: 'integer', maxParticipants: 'integer', endMeetingOnEndTime: 'boolean',
  uriWithDomain: 'string', uriWithoutDomain: 'string?', provisionStatus: 'string', provisionStatusDescription: 'string?', portalLink: 'string?',
  ivrTheme: 'string?', provisionTimestamp: 'datetime?', provisionVmrId: 'string?', vmrType: 'string?', hostView: 'string?', guestView: 'string?',
  vmrQuality: 'string?', enableOverlayText: 'boolean?', guestsCanPresent: 'boolean?', forcePresenterIntoMain: 'boolean?', forceEncryption: 'boolean?',
  muteAllGuests: 'boolean?', createdBy: 'object?', updatedBy: 'object?', createdTime: 'datetime?', updatedTime: 'datetime?', reservationId: 'uuid?',
  customPortalGuest: 'string?', customPortalHost: 'string?', returnUrl: 'string?', callType: 'string?', meetingDetails: 'object?', _links: 'object',
  directMedia: 'string?', shortLink: 'string?', shortlink: 'string?',
};

/** The spec's `scheduling-template` schema (its required fields without `?`). */
export const SPEC_TEMPLATE: SpecFields = {
  id: 'integer', organisationId: 'string', conferencingSysId: 'integer', uriPrefix: 'string', uriDomain: 'string', hostPinRequired: 'boolean',
  hostPinRangeLow: 'integer?', hostPinRangeHigh: 'integer?', guestPinRequired: 'boolean', guestPinRangeLow: 'integer?', guestPinRangeHigh: 'integer?',
  vMRAvailableBefore: 'integer', maxParticipants: 'integer', endMeetingOnEndTime: 'boolean', uriNumberRangeLow: 'integer', uriNumberRangeHigh: 'integer',
  // ivrTheme is required in the spec's answer, yet optional in its request: a template made without one answers null, as the real one does.
  ivrTheme: 'string?', isDefaultTemplate: 'boolean?', isPoolTemplate: 'boolean', customPortalGuest: 'string?', customPortalHost: 'string?',
  returnUrl: 'string?', vmrType: 'string?', hostView: 'string?', guestView: 'string?', vmrQuality: 'string?', enableOverlayText: 'boolean?',
  guestsCanPresent: 'boolean?', forcePresenterIntoMain: 'boolean?', forceEncryption: 'boolean?', muteAllGuests: 'boolean?', directMedia: 'string',
  callType: 'string?', createdBy: 'object?', updatedBy: 'object?', createdTime: 'datetime?', updatedTime: 'datetime?', _links: 'object',
};

/** Follows an absolute `_links` href into the app (same token): the answer must be 200. */
export async function follow(t: TestApp, token: string, href: unknown) {
  expect(href).toEqual(expect.stringMatching(/^http:\/\/vdx\.test\/videoapi\/v2\//));
  const res = await call(t, token, 'GET', new URL(href as string).pathname);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Record<string, unknown>;
}

/** A string of `n` characters (for the spec's maxLength boundaries). */
export const chars = (n: number, c = 'x') => c.repeat(n);
