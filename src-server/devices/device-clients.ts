import type { Scope, VdxRole } from '../../src-shared/auth/roles';
import type { Db } from './device-fleet.context';

/**
 * The slice of the OAuth2 client registry (`auth/api-clients.service.ts`, `ApiClients`) that the
 * device fleet uses: device credentials are ordinary API clients of kind `device`, scope `device`,
 * carrying the device id in their tokens. Every method takes the caller's transaction.
 */
export interface DeviceClients {
  create(
    input: {
      kind: 'device';
      name: string;
      organisation: string;
      roles: readonly VdxRole[];
      managementAdmin: boolean;
      scopes: readonly Scope[];
      deviceId: string;
    },
    db?: Db,
  ): Promise<{ client: { clientId: string }; clientSecret: string }>;
  rotateSecret(clientId: string, db?: Db): Promise<{ client: { clientId: string }; clientSecret: string }>;
  /** Revokes every active client of the device; returns their ids. */
  revokeByDevice(deviceId: string, db?: Db): Promise<string[]>;
}
