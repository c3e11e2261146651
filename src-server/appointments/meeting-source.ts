/**
 * What appointments and the device schedule need to know about a booked meeting, independent of
 * how the booking capability stores it. `booking-meeting-source.ts` adapts the booking service.
 */
export interface BookedMeetingView {
  uuid: string;
  organisationCode: string;
  subject: string;
  /** ISO-8601 UTC. */
  startTime: string;
  endTime: string;
  /** The VMR address (`uriWithDomain`). */
  alias: string;
  hostPin: string | null;
  guestPin: string | null;
  endMeetingOnEndTime: boolean;
  /** Where a person joins from a browser (the booking API's `portalLink`). */
  joinUrl: string;
}

export interface MeetingSource {
  meeting(uuid: string): Promise<BookedMeetingView | undefined>;
  /** Those of `uuids` that overlap [from, to), ordered by start. */
  meetingsBetween(uuids: string[], from: Date, to: Date): Promise<BookedMeetingView[]>;
}

/** The room facts appointments and schedules need (rooms are the devices capability's). */
export interface RoomView {
  id: string;
  name: string;
  organisationCode: string;
  /** Privacy: false hides subjects on the kiosk and in the room's calendar. */
  showSubjects: boolean;
}

export interface RoomDirectory {
  room(id: string): Promise<RoomView | undefined>;
  /** The rooms of one organisation, by name: the ones its bookers may invite. */
  ofOrganisation(organisationCode: string): Promise<RoomView[]>;
}
