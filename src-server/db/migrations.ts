import { callRecordsMigration } from '../conference/call-records/call-records.migration';
import type { Migration } from 'kysely';
import { apiClientsMigration, authMigration } from '../auth/auth.migration';
import { auditMigration } from '../audit/audit.migration';
import { devicesMigration } from '../devices/devices.migration';
import { devicePreflightMigration } from '../devices/device-preflight.migration';
import { bookingMigration } from '../booking/booking.migration';
import { bookingAddressesAndUsersMigration } from '../booking/booking-addresses-users.migration';
import { bookingWriteIndexesMigration } from '../booking/booking-write-indexes.migration';
import { organisationsMigration } from '../organisations/organisations.migration';
import { organisationsAdHocMigration } from '../organisations/organisations-ad-hoc.migration';
import { updatesMigration } from '../updates/updates.migration';
import { appointmentsMigration } from '../appointments/appointments.migration';
import { dropRoomUpdatePinsMigration } from '../updates/updates-drop-pins.migration';
import { vmrMigration } from '../conference/vmr.migration';
import { identityMigration } from '../identity/identity.migration';
import { identityAccountRowsMigration } from '../identity/identity-account-rows.migration';
import { operationsMigration } from '../operations/operations.migration';
import { smsMigration } from '../sms/sms.migration';

/**
 * Every schema change, in order. Each capability owns its migration file; this list is the
 * one place that orders them (Kysely runs them sorted by name). Never rename or edit a migration
 * that has shipped — add a new one. Number ranges: 01xx identity, 02xx booking, 03xx conference,
 * 04xx devices/fleet, 05xx updates/appointments, 06xx SMS, 07xx management UI, 08xx operations.
 */
export const migrations: Record<string, Migration> = {
  '0100-signing-keys': authMigration,
  '0101-organisations': organisationsMigration,
  '0102-api-clients': apiClientsMigration,
  '0103-audit-log': auditMigration,
  '0104-staff-identity': identityMigration,
  '0105-organisations-ad-hoc': organisationsAdHocMigration,
  '0106-identity-account-rows': identityAccountRowsMigration,
  '0400-devices': devicesMigration,
  '0401-device-preflight': devicePreflightMigration,
  '0200-booking': bookingMigration,
  '0201-booking-addresses-and-users': bookingAddressesAndUsersMigration,
  '0202-booking-write-indexes': bookingWriteIndexesMigration,
  '0300-conference-vmrs': vmrMigration,
  '0301-call-records': callRecordsMigration,
  '0500-updates': updatesMigration,
  '0501-appointments': appointmentsMigration,
  '0502-updates-drop-room-pins': dropRoomUpdatePinsMigration,
  '0800-operations': operationsMigration,
  '0600-sms-messages': smsMigration,
};
