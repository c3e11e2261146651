import type { Generated } from 'kysely';

/** An organisation in the VDX tree (region, municipality, hospital, department, GP). */
export interface OrganisationTable {
  /** Stable code, the value of `dk:medcom:organisation_id`. */
  code: string;
  name: string;
  parent_code: string | null;
  pool_size: number;
  /** ≤ 11 characters (an SMS alphanumeric sender id). */
  sms_sender_name: string | null;
  /** May hold `%reference%` and `%status%` placeholders. */
  sms_callback_url: string | null;
  allow_custom_uri_without_domain: number;
  /** 1: ad hoc (POOL) meetings without a pool of its own (migration 0105; default 0). */
  allow_ad_hoc_meetings: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface OrganisationTables {
  organisations: OrganisationTable;
}
