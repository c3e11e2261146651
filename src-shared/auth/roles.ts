import { z } from 'zod';

/** The VDX meeting roles (JWT claim `dk:medcom:video:role`). */
export const VdxRole = z.enum([
  'meeting-user',
  'meeting-planner',
  'meeting-admin',
  'meeting-provisioner',
  'meeting-provisioner-user',
]);
export type VdxRole = z.infer<typeof VdxRole>;
export const ALL_VDX_ROLES: readonly VdxRole[] = VdxRole.options;

/** Our role for `/management/v1/...` (claim `vdx:management`, and listed among the roles). */
export const MANAGEMENT_ADMIN = 'management-admin';

/** JWT claim names shared with the real VDX services. */
export const Claims = {
  roles: 'dk:medcom:video:role',
  organisation: 'dk:medcom:organisation_id',
  email: 'dk:medcom:email',
  managementAdmin: 'management-admin',
  deviceId: 'vdx:device_id',
  clientId: 'client_id',
  scope: 'scope',
} as const;

/** OAuth2 scopes a client may ask for. `device` is what enrolled room devices use. */
export const Scope = z.enum(['booking', 'management', 'device', 'provisioning']);
export type Scope = z.infer<typeof Scope>;
