import type { Generated } from 'kysely';

/**
 * Booking tables (portability rules in db/database.ts: UTC ISO text timestamps, 0/1 integers,
 * JSON in text). PINs are text because they may exceed PostgreSQL's 32-bit `integer`.
 */
export interface SchedulingTemplateTable {
  id: Generated<number>;
  organisation_code: string;
  is_default: number;
  is_pool: number;
  /** JSON: the SchedulingTemplateInput as last written (without the two flags above). */
  body: string;
  created_by: string;
  updated_by: string | null;
  created_at: string;
  updated_at: string | null;
}

export interface MeetingTable {
  uuid: string;
  organisation_code: string;
  organizer_email: string | null;
  subject: string;
  description: string | null;
  project_code: string | null;
  start_time: string;
  end_time: string;
  short_id: string;
  guest_microphone: string;
  guest_pin_required: number;
  /** JSON string[] (the filterable copy lives in booking_meeting_labels). */
  labels: string;
  /** JSON [{key, value}]. */
  additional_information: string;
  external_id: string | null;
  created_by_org: string;
  created_by_email: string | null;
  updated_by_org: string | null;
  updated_by_email: string | null;
  created_at: string;
  updated_at: string | null;
}

export interface MeetingLabelTable {
  meeting_uuid: string;
  label: string;
}

export interface SchedulingInfoTable {
  /** Equals the meeting's uuid, except for pool infos created before their meeting. */
  uuid: string;
  meeting_uuid: string | null;
  organisation_code: string;
  /** Null when the built-in shared default template was used. */
  template_id: number | null;
  uri_with_domain: string;
  uri_without_domain: string;
  uri_domain: string;
  host_pin: string | null;
  guest_pin: string | null;
  vmr_available_before: number;
  provision_status: string;
  provision_status_description: string | null;
  provision_vmr_id: string | null;
  provision_timestamp: string | null;
  /** When the VMR should exist: meeting start minus vmrAvailableBefore (creation time for pool infos). */
  provision_due_at: string;
  /** When the VMR may go: the meeting's end; null while a pool info has no meeting. */
  deprovision_due_at: string | null;
  portal_link: string;
  ivr_theme: string | null;
  direct_media: string;
  conferencing_sys_id: number;
  reservation_id: string | null;
  is_pool: number;
  /** JSON VmrSettings. */
  settings: string;
  /** Who created / last changed the info (migration 0201; null on older rows). */
  created_by_org: string | null;
  created_by_email: string | null;
  updated_by_org: string | null;
  updated_by_email: string | null;
  created_at: string;
  updated_at: string | null;
}

export interface BookingTables {
  booking_templates: SchedulingTemplateTable;
  booking_meetings: MeetingTable;
  booking_meeting_labels: MeetingLabelTable;
  booking_scheduling_infos: SchedulingInfoTable;
}
