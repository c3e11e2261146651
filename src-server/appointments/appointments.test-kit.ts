import type { BookedMeetingView, MeetingSource, RoomDirectory, RoomView } from './meeting-source';

/**
 * Test-only stand-ins for the booking and rooms capabilities: an in-memory meeting list and room
 * list behind the same interfaces the real adapters implement.
 */
export class FakeMeetings implements MeetingSource {
  readonly byUuid = new Map<string, BookedMeetingView>();

  put(m: Partial<BookedMeetingView> & { uuid: string }): BookedMeetingView {
    const view: BookedMeetingView = {
      organisationCode: 'vdx',
      subject: 'Samtale',
      startTime: '2026-03-02T09:00:00.000Z',
      endTime: '2026-03-02T10:00:00.000Z',
      alias: `${m.uuid.slice(0, 6)}@vdx.test`,
      hostPin: '1234',
      guestPin: '5678',
      endMeetingOnEndTime: true,
      joinUrl: `http://vdx.test/join?alias=${m.uuid}`,
      ...m,
    };
    this.byUuid.set(view.uuid, view);
    return view;
  }

  async meeting(uuid: string) {
    return this.byUuid.get(uuid);
  }

  async meetingsBetween(uuids: string[], from: Date, to: Date) {
    return uuids
      .map((u) => this.byUuid.get(u))
      .filter((m): m is BookedMeetingView => !!m && Date.parse(m.endTime) > from.getTime() && Date.parse(m.startTime) < to.getTime())
      .sort((a, b) => a.startTime.localeCompare(b.startTime));
  }
}

export class FakeRooms implements RoomDirectory {
  readonly byId = new Map<string, RoomView>();

  put(r: Partial<RoomView> & { id: string }): RoomView {
    const room: RoomView = { name: `Rum ${r.id}`, organisationCode: 'vdx', showSubjects: true, ...r };
    this.byId.set(room.id, room);
    return room;
  }

  async room(id: string) {
    return this.byId.get(id);
  }

  async ofOrganisation(organisationCode: string) {
    return [...this.byId.values()].filter((r) => r.organisationCode === organisationCode).sort((a, b) => a.name.localeCompare(b.name));
  }
}
