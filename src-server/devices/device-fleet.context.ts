import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../../src-shared/platform/clock';
import type { AuditLog } from '../audit/audit.service';
import type { Store } from '../db/database';
import type { Database } from '../db/schema';
import type { DomainEventBus } from '../events/domain-events';
import type { DeviceEventHub } from './events/device-event-hub';

/** A database handle or an open transaction. */
export type Db = Kysely<Database> | Transaction<Database>;

/** Tunables of the device fleet (defaults in `DEFAULT_FLEET_SETTINGS`). */
export interface FleetSettings {
  /** Seconds between heartbeats that devices are told to keep. */
  heartbeatIntervalSeconds: number;
  /** Days of heartbeat time series kept before pruning. */
  healthRetentionDays: number;
  /** Days an activation code stays valid unless management says otherwise. */
  activationCodeDays: number;
  /** Failed enrolment attempts allowed per client address within `enrolWindowMinutes`. */
  enrolMaxFailures: number;
  enrolWindowMinutes: number;
}

export const DEFAULT_FLEET_SETTINGS: FleetSettings = {
  heartbeatIntervalSeconds: 30,
  healthRetentionDays: 30,
  activationCodeDays: 7,
  enrolMaxFailures: 10,
  enrolWindowMinutes: 15,
};

/** What every device-fleet service is built from. */
export interface FleetContext {
  store: Store;
  clock: Clock;
  audit: AuditLog;
  hub: DeviceEventHub;
  events: DomainEventBus;
  settings: FleetSettings;
  /** This server's public base URL (enrolment answers, activation URLs, conference node URL). */
  publicUrl: string;
}

export const toJson = (v: unknown): string => JSON.stringify(v);
export const fromJson = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T));
