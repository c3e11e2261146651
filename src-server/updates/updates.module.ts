import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../src-shared/platform/clock';
import type { AccessTokens } from '../auth/access-tokens';
import type { AuditLog } from '../audit/audit.service';
import type { RequireAuth } from '../auth/authenticate';
import type { Store } from '../db/database';
import type { OrganisationScopes } from '../organisations/organisation-scope';
import { ArtifactStore } from './artifact-store';
import { releasesRoutes, type RoomOwners } from './releases.routes';
import { ReleaseService, type RoomPins } from './releases.service';
import { updateFeedRoutes, type DeviceRoomLookup } from './update-feed.routes';

export interface UpdatesDeps {
  store: Store;
  clock: Clock;
  audit: AuditLog;
  requireAuth: RequireAuth;
  scopes: OrganisationScopes;
  /** The feed reads the calling device's own access token, when it sends one. */
  tokens: Pick<AccessTokens, 'verify'>;
  /** A pin is the room's own `pinnedVersion`, read and set (audited) through the rooms capability. */
  rooms: RoomPins & RoomOwners;
  /** Which room a device is in, for its room's pin. */
  deviceRooms: DeviceRoomLookup;
  /** Where uploaded artifacts are stored (`VDX_ARTIFACTS_DIR`). */
  artifactsDir: string;
  /** Largest artifact upload accepted (`VDX_ARTIFACT_MAX_BYTES`). */
  maxArtifactBytes: number;
}

/**
 * Updates: the releases IT publishes (`/management/v1/releases`, room pins) and the
 * electron-updater feed devices poll (`/updates/{channel}/...`).
 */
export function updates(app: FastifyInstance, deps: UpdatesDeps) {
  const { requireAuth, scopes, rooms } = deps;
  const releases = new ReleaseService({
    store: deps.store,
    clock: deps.clock,
    audit: deps.audit,
    artifacts: new ArtifactStore(deps.artifactsDir),
    rooms,
  });
  releasesRoutes(app, { releases, requireAuth, maxArtifactBytes: deps.maxArtifactBytes, scopes, rooms });
  updateFeedRoutes(app, { releases, verifyToken: (token) => deps.tokens.verify(token), deviceRooms: deps.deviceRooms });
  return { releases };
}
