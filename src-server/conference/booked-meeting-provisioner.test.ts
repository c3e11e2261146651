import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src-shared/platform/clock';
import { DomainEventBus } from '../events/domain-events';
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
  async claimProvision(uuid: string, r: { provisionStatus: string; provisionVmrId?: string | null; provisionStatusDescription?: string | null }) {
    const found = this.infos.find((i) => i.uuid === uuid);
    if (!found || found.provisionStatus !== 'AWAITS_PROVISION') return { claimed: false, provisionStatus: found?.provisionStatus ?? null };
    await this.setProvisionStatus(uuid, r);
    return { claimed: true, provisionStatus: r.provisionStatus };
  }
  async nextProvisionDue() {
    const now = this.clock.now().getTime();
    const due = this.infos
      .filter((i) => i.provisionStatus === 'AWAITS_PROVISION' && i.meetingDetails)
      .map((i) => new Date(i.meetingDetails!.startTime).getTime() - i.vmrAvailableBefore * 60_000)
      .filter((t) => t > now);
    return due.length ? new Date(Math.min(...due)) : null;
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

  describe('opening on time', () => {
    const HOUR = 3_600_000;
    /** A provisioner started like the app starts it, on the manual clock's timers, with a poll that never comes. */
    function started(clock: ManualClock, booking: FakeBooking, registry = new ConferenceRegistry(clock)) {
      const events = new DomainEventBus();
      const p = new BookedMeetingProvisioner(booking, registry, clock, undefined, clock);
      p.start(events, HOUR);
      return { p, registry, events };
    }

    it('opens a meeting by its timer at start − vmrAvailableBefore to the millisecond, not before', async () => {
      const clock = new ManualClock('2026-03-02T08:00:00Z');
      const booking = new FakeBooking(clock, [info('t1', 'rh2001', { vmrAvailableBefore: 0 })]);
      const { p, registry } = started(clock, booking);
      await p.settled();
      expect(p.nextWake?.toISOString()).toBe('2026-03-02T09:00:00.000Z');

      clock.set('2026-03-02T08:59:59.999Z');
      await p.settled();
      expect(booking.reports).toEqual([]);
      expect(registry.openRoom('rh2001')).toBeUndefined();

      clock.set('2026-03-02T09:00:00.000Z');
      await p.settled();
      expect(booking.reports.map((r) => [r.uuid, r.status])).toEqual([['t1', 'PROVISIONED_OK']]);
      expect(registry.openRoom('rh2001')?.id).toBe('booked:t1');
      expect(p.nextWake).toBeNull();
      await p.stop();
    });

    it('re-arms for a meeting moved earlier or later, and lets a cancelled one go', async () => {
      const clock = new ManualClock('2026-03-02T08:00:00Z');
      const moved = info('m1', 'rh2002', { vmrAvailableBefore: 0 });
      const later = info('m2', 'rh2003', { vmrAvailableBefore: 0, meetingDetails: { subject: 'b', startTime: '2026-03-02T11:00:00Z', endTime: '2026-03-02T12:00:00Z' } });
      const booking = new FakeBooking(clock, [moved, later]);
      const { p, registry, events } = started(clock, booking);
      await p.settled();
      expect(p.nextWake?.toISOString()).toBe('2026-03-02T09:00:00.000Z');

      // Moved earlier: the event's due hint alone re-arms (no pass needed).
      moved.meetingDetails = { subject: 'a', startTime: '2026-03-02T08:30:00Z', endTime: '2026-03-02T09:30:00Z' };
      events.emit('scheduling-info.changed', { uuid: 'm1', provisionStatus: 'AWAITS_PROVISION', provisionDueAt: '2026-03-02T08:30:00.000Z' });
      expect(p.nextWake?.toISOString()).toBe('2026-03-02T08:30:00.000Z');
      clock.set('2026-03-02T08:30:00Z');
      await p.settled();
      expect(registry.openRoom('rh2002')?.id).toBe('booked:m1');
      expect(p.nextWake?.toISOString()).toBe('2026-03-02T11:00:00.000Z');

      // Cancelled (gone from the queue): its stale timer costs one pass, then the timer follows the queue.
      const third = info('m3', 'rh2004', { vmrAvailableBefore: 0, meetingDetails: { subject: 'c', startTime: '2026-03-02T10:00:00Z', endTime: '2026-03-02T10:30:00Z' } });
      booking.infos.push(third);
      events.emit('scheduling-info.changed', { uuid: 'm3', provisionStatus: 'AWAITS_PROVISION', provisionDueAt: '2026-03-02T10:00:00.000Z' });
      expect(p.nextWake?.toISOString()).toBe('2026-03-02T10:00:00.000Z');
      booking.infos.splice(booking.infos.indexOf(third), 1);
      clock.set('2026-03-02T10:00:00Z');
      await p.settled();
      expect(registry.openRoom('rh2004')).toBeUndefined();
      expect(p.nextWake?.toISOString()).toBe('2026-03-02T11:00:00.000Z');

      // Moved later: the timer armed for the old instant passes without opening it; the new instant does.
      later.meetingDetails = { subject: 'b', startTime: '2026-03-02T11:30:00Z', endTime: '2026-03-02T12:00:00Z' };
      events.emit('scheduling-info.changed', { uuid: 'm2', provisionStatus: 'AWAITS_PROVISION', provisionDueAt: '2026-03-02T11:30:00.000Z' });
      clock.set('2026-03-02T11:00:00Z');
      await p.settled();
      expect(registry.openRoom('rh2003')).toBeUndefined();
      expect(p.nextWake?.toISOString()).toBe('2026-03-02T11:30:00.000Z');
      clock.set('2026-03-02T11:30:00Z');
      await p.settled();
      expect(registry.openRoom('rh2003')?.id).toBe('booked:m2');
      await p.stop();
    });

    it('opens a due meeting on demand when its address is dialled before any timer here fired', async () => {
      const clock = new ManualClock('2026-03-02T08:00:00Z');
      const booking = new FakeBooking(clock, [info('d1', 'rh2005', { vmrAvailableBefore: 0 })]);
      const registry = new ConferenceRegistry(clock);
      const p = new BookedMeetingProvisioner(booking, registry, clock, undefined, clock);
      registry.addResolver((alias) => p.resolve(alias));

      clock.set('2026-03-02T08:59:59.999Z');
      expect(await registry.findOpenRoom('rh2005')).toBeUndefined();
      expect(booking.reports).toEqual([]);
      clock.set('2026-03-02T09:00:00Z');
      expect((await registry.findOpenRoom('rh2005'))?.id).toBe('booked:d1');
      expect(booking.reports.map((r) => r.status)).toEqual(['PROVISIONED_OK']);
    });

    it('of two instances racing for one meeting, one reports it and both host it', async () => {
      const clock = new ManualClock('2026-03-02T08:00:00Z');
      const booking = new FakeBooking(clock, [info('r1', 'rh2006', { vmrAvailableBefore: 0 })]);
      const a = started(clock, booking);
      const b = started(clock, booking);
      await Promise.all([a.p.settled(), b.p.settled()]);
      clock.set('2026-03-02T09:00:00Z');
      await Promise.all([a.p.settled(), b.p.settled()]);
      expect(booking.reports.map((r) => r.status)).toEqual(['PROVISIONED_OK']);
      expect(a.registry.openRoom('rh2006')?.id).toBe('booked:r1');
      expect(b.registry.openRoom('rh2006')?.id).toBe('booked:r1');
      await Promise.all([a.p.stop(), b.p.stop()]);
    });
  });
});
