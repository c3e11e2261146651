import type { VdxRole } from '../../src-shared/auth/roles';
import type { Principal } from '../auth/principal';
import { VdxCode, vdxError } from './vdx-errors';

/**
 * Who may do what in the booking API (VDX-BOOKING-API.md, "Roles"), as the real integration tests
 * pin it: a token with no VDX role at all answers 401; a caller whose roles do not include one the
 * operation needs answers 403 (code 11); so does a known caller touching another organisation's
 * data, or a meeting-user touching someone else's meeting.
 */
export const ROLES = {
  /** Every endpoint that only reads: info, meetings, scheduling info, templates, pool. */
  read: ['meeting-user', 'meeting-planner', 'meeting-admin', 'meeting-provisioner', 'meeting-provisioner-user'],
  writeMeetings: ['meeting-admin', 'meeting-user', 'meeting-planner', 'meeting-provisioner-user'],
  writeTemplates: ['meeting-admin'],
  reserve: ['meeting-admin'],
  writeSchedulingInfo: ['meeting-provisioner-user'],
  provisionQueues: ['meeting-provisioner-user'],
} as const satisfies Record<string, readonly VdxRole[]>;

const ORG_WIDE: readonly VdxRole[] = ['meeting-planner', 'meeting-admin', 'meeting-provisioner', 'meeting-provisioner-user'];
/** The real service's "organisational meeting administrators". */
const ADMINISTRATORS: readonly VdxRole[] = ['meeting-planner', 'meeting-admin'];
const PROVISIONERS: readonly VdxRole[] = ['meeting-provisioner', 'meeting-provisioner-user'];

/** The caller as booking sees them, with the setup checks the real API makes (401 on failure). */
export interface BookingCaller {
  principal: Principal;
  organisation: string;
  email: string | null;
  /** Sees and changes every meeting of the organisation (else only meetings they organise). */
  orgWide: boolean;
  /**
   * Planner or admin: may book on behalf of others (`organizedByEmail`), and sees the scheduling
   * infos of the organisation's sub-organisations too.
   */
  administrator: boolean;
  /** Provisioners work across organisations on scheduling infos. */
  provisioner: boolean;
}

export function bookingCaller(principal: Principal): BookingCaller {
  if (!principal.organisation) {
    throw vdxError(401, VdxCode.basic, 'organisation_missing', 'The access token names no organisation (dk:medcom:organisation_id)');
  }
  const orgWide = principal.roles.some((r) => ORG_WIDE.includes(r));
  if (!orgWide && !principal.email) {
    throw vdxError(401, VdxCode.basic, 'email_missing', 'A meeting-user token must carry dk:medcom:email');
  }
  return {
    principal,
    organisation: principal.organisation,
    email: principal.email ?? null,
    orgWide,
    administrator: principal.roles.some((r) => ADMINISTRATORS.includes(r)),
    provisioner: principal.roles.some((r) => PROVISIONERS.includes(r)),
  };
}

/** May this caller see / change a meeting of `organisation` organised by `organizerEmail`? */
export function assertMeetingAccess(caller: BookingCaller, organisation: string, organizerEmail: string | null): void {
  if (organisation !== caller.organisation) {
    throw vdxError(403, VdxCode.basic, 'other_organisation', 'The meeting belongs to another organisation');
  }
  if (!caller.orgWide && !sameEmail(organizerEmail, caller.email)) {
    throw vdxError(403, VdxCode.basic, 'not_organiser', 'Only the organiser may access this meeting');
  }
}

export function sameEmail(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && a.toLowerCase() === b.toLowerCase();
}

/** The role check of one operation: 401 without any VDX role, 403 without a fitting one. */
export function assertRoles(principal: Principal, needed: readonly VdxRole[]): void {
  if (!principal.roles.some((r) => ALL_ROLES.includes(r))) {
    throw vdxError(401, VdxCode.basic, 'role_missing', 'The access token carries no VDX role (dk:medcom:video:role)');
  }
  if (!needed.some((r) => principal.roles.includes(r))) {
    throw vdxError(403, VdxCode.basic, 'role_not_allowed', `This needs one of the roles: ${needed.join(', ')}`);
  }
}

const ALL_ROLES: readonly VdxRole[] = ROLES.read;
