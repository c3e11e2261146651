import type { AdditionalInformation } from '../../src-shared/booking/booking.schemas';
import type { MeetingRow } from './booking.context';
import { VdxCode, vdxError } from './vdx-errors';

/** The editable part of a meeting, as PUT and PATCH compute it before it is written. */
export interface MeetingChange {
  subject: string;
  description: string | null;
  projectCode: string | null;
  start: Date;
  end: Date;
  organizer: string | null;
  guestMicrophone: string;
  guestPinRequired: boolean;
  labels: string[];
  additionalInformation: AdditionalInformation[];
}

export function currentChange(row: MeetingRow): MeetingChange {
  return {
    subject: row.subject,
    description: row.description,
    projectCode: row.project_code,
    start: new Date(row.start_time),
    end: new Date(row.end_time),
    organizer: row.organizer_email,
    guestMicrophone: row.guest_microphone,
    guestPinRequired: row.guest_pin_required === 1,
    labels: JSON.parse(row.labels) as string[],
    additionalInformation: JSON.parse(row.additional_information) as AdditionalInformation[],
  };
}

export function uniqueKeys(info: AdditionalInformation[] | null | undefined): AdditionalInformation[] {
  const list = info ?? [];
  if (new Set(list.map((i) => i.key)).size !== list.length) {
    throw vdxError(400, VdxCode.additionalInfoKeysNotUnique, 'additional_information_keys', 'Additional info keys not unique for meeting.');
  }
  return list.map(({ key, value }) => ({ key, value }));
}

export function uniqueLabels(labels: string[] | null | undefined): string[] {
  return [...new Set(labels ?? [])];
}

export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** Case-insensitive "contains", with LIKE's wildcards in the user's text taken literally. */
export function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[%_\\]/g, '')}%`;
}