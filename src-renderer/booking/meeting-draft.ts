import type { MessageKey } from '../i18n/translate';
import type { CreateMeetingBody, Meeting, PatchMeetingBody, Template } from './booking-api';
import { vdxInstant } from './booking-api';
import { fromCopenhagen, toCopenhagen } from './copenhagen-time';

/**
 * The book/edit form as plain data: what the inputs hold (text, as native inputs give it), how it
 * is checked before anything is sent, and the request body it becomes. Times are Copenhagen wall
 * clock; the body carries instants.
 */
export type GuestMicrophone = 'on' | 'muted' | 'off';
export type MeetingKind = 'NORMAL' | 'POOL';

export interface MeetingDraft {
  subject: string;
  description: string;
  /** `YYYY-MM-DD`, Copenhagen. */
  date: string;
  /** `HH:MM`, Copenhagen. */
  startTime: string;
  endTime: string;
  /** A colleague's e-mail a planner books for; empty = the person signed in. */
  organizerEmail: string;
  /** A template id of the organisation; empty = its default. */
  templateId: string;
  /** POOL: an ad hoc meeting starting now in one of the organisation's ready pool rooms. */
  kind: MeetingKind;
  guestPinRequired: boolean;
  guestMicrophone: GuestMicrophone;
  /** Labels separated by commas, as typed. */
  labels: string;
  endMeetingOnEndTime: boolean;
  /** Text of a number input; 0 or empty = no limit. */
  maxParticipants: string;
}

export type DraftField = keyof MeetingDraft;
export type DraftErrors = Partial<Record<DraftField, MessageKey>>;

/** The id of a draft field's control, for labels and for moving the focus to an error. */
export const fieldId = (field: DraftField) => `meeting-${field}`;

/** The spec's limits (VDX-BOOKING-API.md, "Meeting"). */
export const LIMITS = { subject: 100, description: 500, label: 100, labels: 100, maxParticipants: 2_147_483_647, email: 255 } as const;
const DEFAULT_LENGTH_MIN = 30;

/** A new meeting: the next half hour, 30 minutes, the template's guest settings. */
export function newDraft(now: Date, template?: Template): MeetingDraft {
  const next = new Date(Math.ceil((now.getTime() + 60_000) / (30 * 60_000)) * 30 * 60_000);
  const start = toCopenhagen(next);
  const end = toCopenhagen(new Date(next.getTime() + DEFAULT_LENGTH_MIN * 60_000));
  return applyTemplate(
    {
      subject: '',
      description: '',
      date: start.date,
      startTime: start.time,
      // A meeting from 23:30 ends at midnight: keep it on the same day's clock as 23:59.
      endTime: end.date === start.date ? end.time : '23:59',
      organizerEmail: '',
      templateId: template && !template.isDefaultTemplate ? String(template.id) : '',
      kind: 'NORMAL',
      guestPinRequired: true,
      guestMicrophone: 'on',
      labels: '',
      endMeetingOnEndTime: false,
      maxParticipants: '',
    },
    template,
  );
}

/** Takes the template's guest PIN, end-at-end-time and participant limit as the form's defaults. */
export function applyTemplate(draft: MeetingDraft, template: Template | undefined): MeetingDraft {
  if (!template) return draft;
  return {
    ...draft,
    guestPinRequired: template.guestPinRequired,
    endMeetingOnEndTime: template.endMeetingOnEndTime,
    maxParticipants: template.maxParticipants > 0 ? String(template.maxParticipants) : '',
  };
}

/** The form filled from a booked meeting (edit, move). */
export function draftFromMeeting(m: Meeting, myEmail: string): MeetingDraft {
  const start = toCopenhagen(new Date(m.startTime));
  const end = toCopenhagen(new Date(m.endTime));
  const organizer = m.organizedBy.email ?? '';
  return {
    subject: m.subject,
    description: m.description ?? '',
    date: start.date,
    startTime: start.time,
    endTime: end.time,
    organizerEmail: organizer.toLowerCase() === myEmail.toLowerCase() ? '' : organizer,
    templateId: '',
    kind: 'NORMAL',
    guestPinRequired: m.guestPinRequired,
    guestMicrophone: m.guestMicrophone,
    labels: m.labels.join(', '),
    endMeetingOnEndTime: false,
    maxParticipants: '',
  };
}

export function parseLabels(text: string): string[] {
  return [...new Set(text.split(',').map((l) => l.trim()).filter(Boolean))];
}

export interface CheckedDraft {
  start: Date;
  end: Date;
  labels: string[];
  /** undefined = the template's. */
  maxParticipants: number | undefined;
}

export type DraftCheck = { ok: true; value: CheckedDraft } | { ok: false; errors: DraftErrors };

/**
 * Checks a draft before it is sent, with the API's own limits, so a person learns what to fix at
 * the field rather than from a refused request. `now` decides "in the past" (new meetings only)
 * and is the start of a pool meeting. An end on the same clock day before the start is an error
 * (a meeting past midnight is booked with an end of 23:59 or as two).
 */
export function checkDraft(draft: MeetingDraft, mode: { kind: 'create' | 'edit'; now: Date }): DraftCheck {
  const errors: DraftErrors = {};
  const subject = draft.subject.trim();
  if (!subject) errors.subject = 'booking.form.error.subjectRequired';
  else if (subject.length > LIMITS.subject) errors.subject = 'booking.form.error.subjectTooLong';
  if (draft.description.length > LIMITS.description) errors.description = 'booking.form.error.descriptionTooLong';

  const pool = mode.kind === 'create' && draft.kind === 'POOL';
  const start = pool ? new Date(Math.floor(mode.now.getTime() / 1000) * 1000) : fromCopenhagen({ date: draft.date, time: draft.startTime });
  const endDate = pool ? toCopenhagen(mode.now).date : draft.date;
  const end = fromCopenhagen({ date: endDate, time: draft.endTime });
  if (!pool && !/^\d{4}-\d{2}-\d{2}$/.test(draft.date)) errors.date = 'booking.form.error.dateInvalid';
  else if (!pool && !start) errors.startTime = 'booking.form.error.timeInvalid';
  if (!end) errors.endTime = 'booking.form.error.timeInvalid';
  if (start && end && !errors.date) {
    if (end.getTime() <= start.getTime()) errors.endTime = 'booking.form.error.endBeforeStart';
    else if (mode.kind === 'create' && end.getTime() <= mode.now.getTime()) errors.endTime = 'booking.form.error.endInPast';
  }

  const labels = parseLabels(draft.labels);
  if (labels.some((l) => l.length > LIMITS.label)) errors.labels = 'booking.form.error.labelTooLong';
  else if (labels.length > LIMITS.labels) errors.labels = 'booking.form.error.tooManyLabels';

  let maxParticipants: number | undefined;
  if (draft.maxParticipants.trim() !== '') {
    const n = Number(draft.maxParticipants);
    if (!Number.isInteger(n) || n < 0 || n > LIMITS.maxParticipants) errors.maxParticipants = 'booking.form.error.maxParticipants';
    else maxParticipants = n;
  }

  const organizer = draft.organizerEmail.trim();
  if (organizer && (organizer.length > LIMITS.email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(organizer))) errors.organizerEmail = 'booking.form.error.email';

  if (Object.keys(errors).length > 0 || !start || !end) return { ok: false, errors };
  return { ok: true, value: { start, end, labels, maxParticipants } };
}

/** POST /videoapi/v2/meetings. `organizedByEmail` only for organisation-wide roles (others book for themselves). */
export function createBody(draft: MeetingDraft, checked: CheckedDraft, opts: { orgWide: boolean }): CreateMeetingBody {
  const organizer = draft.organizerEmail.trim();
  return {
    subject: draft.subject.trim(),
    ...(draft.description.trim() ? { description: draft.description.trim() } : {}),
    startTime: vdxInstant(checked.start),
    endTime: vdxInstant(checked.end),
    ...(opts.orgWide && organizer ? { organizedByEmail: organizer } : {}),
    ...(draft.templateId && draft.kind === 'NORMAL' ? { schedulingTemplateId: Number(draft.templateId) } : {}),
    meetingType: draft.kind,
    guestPinRequired: draft.guestPinRequired,
    guestMicrophone: draft.guestMicrophone,
    labels: checked.labels,
    endMeetingOnEndTime: draft.endMeetingOnEndTime,
    ...(checked.maxParticipants !== undefined ? { maxParticipants: checked.maxParticipants } : {}),
  };
}

/**
 * The change that gives a new meeting the guest PIN the booker asked for. In VDX the template
 * decides whether a meeting's room gets a guest PIN (`guestPinRequired` on the meeting only says
 * whether the link asks for it), so a "no" on a template with guest PINs clears the drawn one, and
 * a "yes" on a template without draws one here: four digits, never the host PIN. Undefined when
 * the room already is as asked.
 */
export function guestPinChange(wanted: boolean, pins: { hostPin: number | null; guestPin: number | null }, random: () => number): PatchMeetingBody | undefined {
  if (!wanted) return pins.guestPin === null ? undefined : { guestPin: null };
  if (pins.guestPin !== null) return undefined;
  let pin = 1000 + Math.floor(random() * 9000);
  if (pin === pins.hostPin) pin = pin === 9999 ? 1000 : pin + 1;
  return { guestPin: pin };
}

/** A uniform number in [0, 1) from the browser's cryptographic source (PINs are secrets). */
export function secureRandom(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;
}

/**
 * PATCH /videoapi/v2/meetings/{uuid} with what the edit form may change. Once the meeting's room
 * is ready (PROVISIONED_OK) the API takes only the end time, so only that is sent.
 */
export function patchBody(draft: MeetingDraft, checked: CheckedDraft, opts: { orgWide: boolean; endOnly: boolean; myEmail: string }): PatchMeetingBody {
  if (opts.endOnly) return { endTime: vdxInstant(checked.end) };
  // An emptied organiser field gives the meeting back to the person editing it.
  const organizer = draft.organizerEmail.trim() || opts.myEmail;
  return {
    subject: draft.subject.trim(),
    description: draft.description.trim() || null,
    startTime: vdxInstant(checked.start),
    endTime: vdxInstant(checked.end),
    ...(opts.orgWide && organizer ? { organizedByEmail: organizer } : {}),
    guestMicrophone: draft.guestMicrophone,
    labels: checked.labels,
  };
}
