import { describe, expect, it } from 'vitest';
import { translate } from '../i18n/translate';
import { BookingApiError } from './booking-api';
import { failureMessage } from './booking-errors';

const vdx = (status: number, code: number) => new BookingApiError('rejected', status, code);

describe('failure sentences', () => {
  it('turns every VDX detailed_error_code into a Danish sentence without its number', () => {
    for (let code = 10; code <= 36; code++) {
      const text = translate('da', failureMessage(vdx(code === 12 || code === 13 ? 406 : 400, code), 'book'));
      expect(text, `code ${code}`).not.toMatch(/\d{2}/);
      expect(text.length).toBeGreaterThan(10);
    }
  });

  it('says why a change or a cancellation was refused', () => {
    expect(translate('da', failureMessage(vdx(406, 12), 'change'))).toBe('Mødet kan ikke længere ændres, fordi det er i gang eller afsluttet.');
    expect(translate('da', failureMessage(vdx(406, 13), 'cancel'))).toMatch(/^Mødet kan ikke længere aflyses/);
    expect(translate('da', failureMessage(vdx(406, 15), 'book'))).toMatch(/ikke flere ledige mødeadresser/);
  });

  it('reads a basic error (11) by its status and the action', () => {
    expect(failureMessage(vdx(403, 11), 'change')).toBe('booking.error.notYours');
    expect(failureMessage(vdx(403, 11), 'load')).toBe('booking.error.forbidden');
    expect(failureMessage(vdx(404, 11), 'load')).toBe('booking.error.meetingGone');
    expect(failureMessage(new BookingApiError('rejected', 503), 'book')).toBe('booking.error.server');
  });

  it('prefers our own codes, and words no answer and an ended sign-in', () => {
    expect(failureMessage(new BookingApiError('rejected', 409, undefined, 'participant_exists'), 'participant')).toBe('booking.error.roomAlreadyInvited');
    expect(failureMessage(new BookingApiError('unreachable', 0), 'load')).toBe('booking.error.unreachable');
    expect(failureMessage(new BookingApiError('signed-out', 401), 'book')).toBe('booking.error.signedOut');
    expect(failureMessage(new Error('boom'), 'book')).toBe('booking.error.unexpected');
  });
});
