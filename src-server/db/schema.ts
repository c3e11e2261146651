import type { CallRecordTables } from '../conference/call-records/call-records.tables';
import type { AuditTables } from '../audit/audit.tables';
import type { AuthTables } from '../auth/auth.tables';
import type { DeviceTables } from '../devices/devices.tables';
import type { BookingTables } from '../booking/booking.tables';
import type { OrganisationTables } from '../organisations/organisations.tables';
import type { UpdateTables } from '../updates/updates.tables';
import type { AppointmentTables } from '../appointments/appointments.tables';
import type { ConferenceTables } from '../conference/vmr.tables';
import type { IdentityTables } from '../identity/identity.tables';
import type { OperationsTables } from '../operations/operations.tables';
import type { SmsTables } from '../sms/sms.tables';

/** The whole database as Kysely sees it: the union of every capability's tables. */
export interface Database extends AuthTables, OrganisationTables, AuditTables, DeviceTables, BookingTables, UpdateTables, AppointmentTables, ConferenceTables, IdentityTables, OperationsTables, SmsTables, CallRecordTables {}
