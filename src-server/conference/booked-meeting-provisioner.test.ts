import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src-shared/platform/clock';
import { ConferenceRegistry } from './conference-registry';
import { BookedMeetingProvisioner, type ProvisionableInfo, type ProvisioningSource } from './booked-meeting-provisioner';

/** A booking service stand-in: queues by status and time, like the real one. */
class FakeBooking implements ProvisioningSource {
  readonly reports: Array<{ uuid: string; status: string; vmrId?: string | null; description?: string | null }> = [];
  constructor(
    private readonly clock: ManualClock,
    readonly infos: ProvisionableInfo[],
  ) {}
  async provisionQueue() {
    const now = this.clock.now().getTime();
    return this.infos.filter(
      (i) => i.provisionStatus === 'AWAITS_PROVISION' && new Date(i.meetingDetails!.startTime).getTime() - i.vmrAvailableBefore * 60_000 <= now,
    );
  }
  async deprovisionQueue() {
    const now = this.clock.now().getTime();
    return this.infos.filter((i) => i.provisionStatus === 'PROVISIONED_OK' && new Date(i.meetingDetails!.endTime).getTime() <= now);
  }
  async setProvisionStatus(uuid: string, r: { provisionStatus: string; provisionVmrId?: string | null; provisionStatusDescription?: string | null }) {
    this.reports.push({ uuid, status: r.provisionStatus, vmrId: r.provisionVmrId, description: r.provisionStatusDescription });
    this.infos.find((i) => i.uuid === uuid)!.provisionStatus = r.provisionStatus;
  }
  async bookedByUri(uri: string) {
    const info = this.infos.find((i) => i.uriWithDomain === uri || i.uriWithoutDomain === uri);
    return info ? { schedulingInfo: info } : undefined;
  }
}

function info(uuid: string, uri: string, overrides: Partial<ProvisionableInfo> = {}): ProvisionableInfo {
  return {
    uuid,
    uriWithDomain: `${uri}@video.test`,
    uriWithoutDomain: uri,
    hostPin: 1234,
    guestPin: null,
    vmrAvailableBefore: 15,
    provisionStatus: 'AWAITS_PROVISION',
    directMedia: 'best_effort',
    maxParticipants: 10,
    endMeetingOnEndTime: true,
    guestsCanPresent: true,
    muteAllGuests: false,
    meetingDetails: { subject: 'Samtale', startTime: '2026-03-02T09:00:00Z', endTime: '2026-03-02T10:00:00Z' },
    ...overrides,
  };
}

describe('booked meeting provisioner', () => {
  it('makes both addresses live from start − vmrAvailableBefore, ends on time and deprovisions', async () => {
    const clock = new ManualClock('2026-03-02T08:00:00Z');
    const registry = new ConferenceRegistry(clock);
    const booking = new FakeBooking(clock, [info('i1', 'rh1001')]);
    const p = new BookedMeetingProvisioner(booking, registry, clock);

    await p.runOnce();
    expect(booking.reports).toEqual([]);
    expect(registry.openRoom('rh1001@video.test')).toBeUndefined();

    clock.set('2026-03-02T08:45:00Z');
    await p.runOnce();
    expect(booking.reports).toEqual([{ uuid: 'i1', status: 'PROVISIONED_OK', vmrId: 'booked:i1', description: expect.any(String) }]);
    const room = registry.openRoom('RH1001@video.test')!;
    expect(registry.openRoom('rh1001')).toBe(room);
    expect(room).toMatchObject({ hostPin: '1234', guestPin: null, source: 'booked' });

    const { conference } = registry.join(room, { displayName: 'Læge', role: 'HOST', wantsDirectMedia: true });
    clock.set('2026-03-02T09:59:59Z');
    await registry.tick();
    expect(conference.ended).toBe(false);
    clock.set('2026-03-02T10:00:00Z');
    expect(registry.openRoom('rh1001')).toBeUndefined();
    await registry.tick();
    expect(conference.ended).toBe(true);

    await p.runOnce();
    expect(booking.reports.at(-1)).toMatchObject({ uuid: 'i1', status: 'DEPROVISION_OK' });
    expect(registry.room('booked:i1')).toBeUndefined();
  });

  it('lets a meeting without endMeetingOnEndTime run over and deprovisions it once empty', async () => {
    const clock = new ManualClock('2026-03-02T08:50:00Z');
    const registry = new ConferenceRegistry(clock);
    const booking = new FakeBooking(clock, [info('i2', 'rh1002', { endMeetingOnEndTime: false })]);
    const p = new BookedMeetingProvisioner(booking, registry, clock);
    await p.runOnce();
    const { conference, participant } = registry.join(registry.openRoom('rh1002')!, { displayName: 'x', role: 'HOST', wantsDirectMedia: true });
    clock.set('2026-03-02T10:05:00Z');
    await registry.tick();
    await p.runOnce();
    expect(conference.ended).toBe(false);
    expect(booking.infos[0]!.provisionStatus).toBe('PROVISIONED_OK');
    await conference.leave(participant.uuid);
    await p.runOnce();
    expect(booking.infos[0]!.provisionStatus).toBe('DEPROVISION_OK');
  });

  it('reports a clash with an address already live here as PROVISION_PROBLEMS', async () => {
    const clock = new ManualClock('2026-03-02T08:50:00Z');
    const registry = new ConferenceRegistry(clock);
    const booking = new FakeBooking(clock, [info('a', 'rh1003'), info('b', 'rh1003')]);
    await new BookedMeetingProvisioner(booking, registry, clock).runOnce();
    expect(booking.reports.map((r) => [r.uuid, r.status])).toEqual([
      ['a', 'PROVISIONED_OK'],
      ['b', 'PROVISION_PROBLEMS'],
    ]);
  });

  it('re-hosts a PROVISIONED_OK meeting after a restart when its address is dialled', async () => {
    const clock = new ManualClock('2026-03-02T09:10:00Z');
    const booking = new FakeBooking(clock, [info('i4', 'rh1004', { provisionStatus: 'PROVISIONED_OK' })]);
    const registry = new ConferenceRegistry(clock);
    const p = new BookedMeetingProvisioner(booking, registry, clock);
    registry.addResolver((alias) => p.resolve(alias));
    expect(registry.openRoom('rh1004')).toBeUndefined();
    expect((await registry.findOpenRoom('rh1004'))?.id).toBe('booked:i4');
    expect(await registry.findOpenRoom('nothing-here')).toBeUndefined();
  });
});
