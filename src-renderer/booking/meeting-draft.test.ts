import { describe, expect, it } from 'vitest';
import type { Meeting, Template } from './booking-api';
import { checkDraft, createBody, draftFromMeeting, guestPinChange, newDraft, parseLabels, patchBody, type MeetingDraft } from './meeting-draft';

const NOW = new Date('2026-03-10T08:10:00Z'); // 09:10 in Copenhagen (winter time)
const template = { id: 4, isDefaultTemplate: true, isPoolTemplate: false, guestPinRequired: false, endMeetingOnEndTime: true, maxParticipants: 8 } as Template;

const draft = (over: Partial<MeetingDraft> = {}): MeetingDraft => ({ ...newDraft(NOW), subject: 'Samtale', ...over });
const checked = (d: MeetingDraft, kind: 'create' | 'edit' = 'create') => {
  const r = checkDraft(d, { kind, now: NOW });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};

describe('the meeting form', () => {
  it("starts at the next half hour in Copenhagen time, for 30 minutes, with the template's defaults", () => {
    const d = newDraft(NOW, template);
    expect([d.date, d.startTime, d.endTime]).toEqual(['2026-03-10', '09:30', '10:00']);
    expect([d.guestPinRequired, d.endMeetingOnEndTime, d.maxParticipants, d.templateId]).toEqual([false, true, '8', '']);
  });

  it('books the Copenhagen wall-clock times as instants (summer time too)', () => {
    const value = checked(draft({ date: '2026-07-01', startTime: '10:00', endTime: '10:45' }));
    expect(value.start.toISOString()).toBe('2026-07-01T08:00:00.000Z');
    expect(value.end.toISOString()).toBe('2026-07-01T08:45:00.000Z');
  });

  it('says at the field what is wrong', () => {
    expect(checkDraft(draft({ subject: ' ', endTime: '09:00', startTime: '09:30', maxParticipants: '-1', labels: 'x'.repeat(101) }), { kind: 'create', now: NOW })).toEqual({
      ok: false,
      errors: {
        subject: 'booking.form.error.subjectRequired',
        endTime: 'booking.form.error.endBeforeStart',
        maxParticipants: 'booking.form.error.maxParticipants',
        labels: 'booking.form.error.labelTooLong',
      },
    });
    expect(checkDraft(draft({ date: '2026-03-09' }), { kind: 'create', now: NOW })).toMatchObject({ ok: false, errors: { endTime: 'booking.form.error.endInPast' } });
    expect(checkDraft(draft({ organizerEmail: 'kollega' }), { kind: 'create', now: NOW })).toMatchObject({ ok: false, errors: { organizerEmail: 'booking.form.error.email' } });
    expect(checkDraft(draft({ startTime: '' }), { kind: 'create', now: NOW })).toMatchObject({ ok: false, errors: { startTime: 'booking.form.error.timeInvalid' } });
  });

  it('lets an edit keep a start in the past (moving the end of a meeting that is on)', () => {
    expect(checkDraft(draft({ date: '2026-03-10', startTime: '08:00', endTime: '09:30' }), { kind: 'edit', now: NOW }).ok).toBe(true);
  });

  it('sends what the VDX API takes, organizedByEmail only for a planner', () => {
    const d = draft({ description: ' Opfølgning ', labels: 'Ambulatorium, Opfølgning, Ambulatorium', organizerEmail: 'kollega@region.dk', maxParticipants: '5', templateId: '7' });
    const v = checked(d);
    expect(createBody(d, v, { orgWide: true })).toEqual({
      subject: 'Samtale',
      description: 'Opfølgning',
      startTime: '2026-03-10T08:30:00Z',
      endTime: '2026-03-10T09:00:00Z',
      organizedByEmail: 'kollega@region.dk',
      schedulingTemplateId: 7,
      meetingType: 'NORMAL',
      guestPinRequired: true,
      guestMicrophone: 'on',
      labels: ['Ambulatorium', 'Opfølgning'],
      endMeetingOnEndTime: false,
      maxParticipants: 5,
    });
    expect(createBody(d, v, { orgWide: false })).not.toHaveProperty('organizedByEmail');
  });

  it('books a pool meeting from now to the chosen end today, without a template', () => {
    const d = draft({ kind: 'POOL', endTime: '09:40', templateId: '7', date: '1999-01-01' });
    const body = createBody(d, checked(d), { orgWide: false });
    expect(body).toMatchObject({ meetingType: 'POOL', startTime: '2026-03-10T08:10:00Z', endTime: '2026-03-10T08:40:00Z' });
    expect(body).not.toHaveProperty('schedulingTemplateId');
  });

  it("edits with PATCH: everything the form shows, or only the end once the room is ready; an emptied organiser is the editor's", () => {
    const meeting = {
      subject: 'Samtale',
      description: null,
      startTime: '2026-03-10T10:00:00+01:00',
      endTime: '2026-03-10T10:30:00+01:00',
      organizedBy: { organisationId: 'org', email: 'Kollega@region.dk' },
      guestPinRequired: true,
      guestMicrophone: 'muted',
      labels: ['A', 'B'],
    } as unknown as Meeting;
    const d = draftFromMeeting(meeting, 'planner@region.dk');
    expect([d.date, d.startTime, d.endTime, d.organizerEmail, d.labels, d.guestMicrophone]).toEqual(['2026-03-10', '10:00', '10:30', 'Kollega@region.dk', 'A, B', 'muted']);
    const moved = { ...d, startTime: '11:00', endTime: '11:30', organizerEmail: '' };
    const v = checked(moved, 'edit');
    expect(patchBody(moved, v, { orgWide: true, endOnly: false, myEmail: 'planner@region.dk' })).toEqual({
      subject: 'Samtale',
      description: null,
      startTime: '2026-03-10T10:00:00Z',
      endTime: '2026-03-10T10:30:00Z',
      organizedByEmail: 'planner@region.dk',
      guestMicrophone: 'muted',
      labels: ['A', 'B'],
    });
    expect(patchBody(moved, v, { orgWide: true, endOnly: true, myEmail: 'planner@region.dk' })).toEqual({ endTime: '2026-03-10T10:30:00Z' });
  });

  it('reads labels separated by commas, once each', () => {
    expect(parseLabels(' a, b ,,a ')).toEqual(['a', 'b']);
  });
});

describe('the guest PIN the booker chose', () => {
  it('clears a PIN the template drew, or draws four digits (never the host PIN) where it drew none', () => {
    expect(guestPinChange(false, { hostPin: 1234, guestPin: 5678 }, () => 0)).toEqual({ guestPin: null });
    expect(guestPinChange(false, { hostPin: 1234, guestPin: null }, () => 0)).toBeUndefined();
    expect(guestPinChange(true, { hostPin: 1234, guestPin: 5678 }, () => 0)).toBeUndefined();
    expect(guestPinChange(true, { hostPin: 1234, guestPin: null }, () => 0.5)).toEqual({ guestPin: 5500 });
    expect(guestPinChange(true, { hostPin: 1000, guestPin: null }, () => 0)).toEqual({ guestPin: 1001 });
    expect(guestPinChange(true, { hostPin: null, guestPin: null }, () => 0.99999)).toEqual({ guestPin: 9999 });
  });
});
