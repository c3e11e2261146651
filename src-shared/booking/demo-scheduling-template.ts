import type { z } from 'zod';
import type { SchedulingTemplateInput } from './booking.schemas';

/**
 * The body of `POST /videoapi/v2/scheduling-templates` that the demo (`npm start`) and the
 * benchmarks seed a fresh server with: the organisation's default template, six-digit VMR numbers,
 * four-digit host and guest PINs, the VMR open 10 minutes before the start, at most 10
 * participants, ended at the meeting's end, direct media when possible.
 *
 * Shared here because a script must not import test support (tests keep their own
 * `templateBody()` in `src-server/booking/booking.test-support.ts`, whose small number space the
 * booking tests rely on). `overrides` replaces single fields (e.g. the URI prefix and domain a
 * benchmark wants to recognise its VMRs by).
 */
export function demoSchedulingTemplate(overrides: Partial<z.input<typeof SchedulingTemplateInput>> = {}): z.input<typeof SchedulingTemplateInput> {
  return {
    conferencingSysId: 1,
    uriPrefix: '',
    uriDomain: 'vdx.local',
    uriNumberRangeLow: 100000,
    uriNumberRangeHigh: 999999,
    hostPinRequired: true,
    hostPinRangeLow: 1000,
    hostPinRangeHigh: 9999,
    guestPinRequired: true,
    guestPinRangeLow: 1000,
    guestPinRangeHigh: 9999,
    vMRAvailableBefore: 10,
    maxParticipants: 10,
    endMeetingOnEndTime: true,
    isDefaultTemplate: true,
    isPoolTemplate: false,
    directMedia: 'best_effort',
    ...overrides,
  };
}
