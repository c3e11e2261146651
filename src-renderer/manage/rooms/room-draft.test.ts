import { describe, expect, it } from 'vitest';
import type { Room } from '../../../src-shared/devices/rooms.schema';
import { draftOfRoom, draftProblems, emptyRoomDraft, roomBody } from './room-draft';

const ROOM: Room = {
  id: 'r1',
  name: 'Mødelokale Havet',
  organisationCode: 'vdx',
  location: null,
  themeId: 't1',
  fixedVmrAlias: 'afd-12@vdx.dk',
  maintenanceWindow: { timeZone: 'Europe/Copenhagen', slots: [{ days: ['sat', 'sun'], start: '22:00', end: '02:00' }] },
  updateChannel: 'beta',
  pinnedVersion: null,
  showSubjects: false,
  createdAt: '2026-03-02T08:00:00.000Z',
  updatedAt: '2026-03-02T08:00:00.000Z',
};

describe('room drafts', () => {
  it('starts a new room with the server’s defaults: nightly 02–05 Copenhagen time on the stable channel', () => {
    const body = roomBody({ ...emptyRoomDraft(), name: '  Lokale 1 ' });
    expect(body).toEqual({
      name: 'Lokale 1',
      location: null,
      themeId: null,
      fixedVmrAlias: null,
      updateChannel: 'stable',
      showSubjects: true,
      maintenanceWindow: { timeZone: 'Europe/Copenhagen', slots: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '02:00', end: '05:00' }] },
    });
  });

  it('round-trips a room through its form, and empties optional texts to null', () => {
    const draft = draftOfRoom(ROOM);
    expect(draft.location).toBe('');
    const body = roomBody({ ...draft, fixedVmrAlias: ' ', slots: [{ days: ['sun', 'mon'], start: '22:00', end: '02:00' }] });
    expect(body).toMatchObject({ themeId: 't1', fixedVmrAlias: null, updateChannel: 'beta', showSubjects: false });
    // Days are stored in week order, whatever order they were ticked in.
    expect(body.maintenanceWindow.slots[0]!.days).toEqual(['mon', 'sun']);
  });

  it('names what must be fixed before sending: the name, a dialable alias, days and times of each slot', () => {
    expect(draftProblems(draftOfRoom(ROOM))).toEqual({});
    expect(
      draftProblems({
        ...draftOfRoom(ROOM),
        name: ' ',
        fixedVmrAlias: 'afd 12',
        slots: [
          { days: [], start: '02:00', end: '05:00' },
          { days: ['mon'], start: '25:00', end: '05:00' },
        ],
      }),
    ).toEqual({ name: 'required', fixedVmrAlias: 'alias', 'slot.0': 'noDays', 'slot.1': 'time' });
  });
});
