/** A room or a person taking part in a booked meeting (migration 0501). */
export interface AppointmentParticipantTable {
  id: string;
  /** The VDX Booking meeting's uuid (no foreign key: meetings are the booking capability's). */
  meeting_uuid: string;
  /** `room` | `person`. */
  kind: string;
  room_id: string | null;
  /** `host` | `guest` for rooms. */
  role: string | null;
  name: string | null;
  /** E.164. */
  phone: string | null;
  email: string | null;
  created_at: string;
  created_by: string;
}

export interface AppointmentTables {
  appointment_participants: AppointmentParticipantTable;
}
