/** A fixed meeting room (VDX Management's permanent VMR) hosted by this conference node. */
export interface VmrTable {
  /** Lower-cased, URL-safe; the primary key. */
  alias: string;
  name: string;
  host_pin: string;
  guest_pin: string | null;
  theme: string | null;
  /** `never` | `best_effort`. */
  direct_media: string;
  max_participants: number | null;
  guests_can_present: number;
  mute_all_guests: number;
  locked_by_default: number;
  created_at: string;
  updated_at: string;
}

export interface ConferenceTables {
  conference_vmrs: VmrTable;
}
