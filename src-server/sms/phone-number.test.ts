import { describe, expect, it } from 'vitest';
import { maskPhone, parseMobileNumber, phoneRejectionMessage } from './phone-number';

describe('parseMobileNumber', () => {
  it.each([
    ['20 12 34 56', '+4520123456'],
    ['20123456', '+4520123456'],
    ['+45 20 12 34 56', '+4520123456'],
    ['0045 20-12-34-56', '+4520123456'],
    ['4520123456', '+4520123456'],
    ['+46 70 123 45 67', '+46701234567'],
    ['+44 7911 123456', '+447911123456'],
  ])('reads %j as %s', (raw, e164) => {
    expect(parseMobileNumber(raw)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['', 'malformed'],
    ['abc', 'malformed'],
    ['20 12 34 5x', 'malformed'],
    ['2012345', 'invalid'],
    ['12 34 56 78', 'invalid'],
    ['+45 2012345', 'invalid'],
    // A Swedish mobile without its "+": never guessed to be Danish or Swedish.
    ['46701234567', 'invalid'],
    // A British landline cannot take an SMS.
    ['+44 20 7946 0958', 'not_mobile'],
  ])('refuses %j (%s)', (raw, reason) => {
    expect(parseMobileNumber(raw)).toEqual({ ok: false, reason });
  });

  it('explains a refusal in Danish', () => {
    expect(phoneRejectionMessage('invalid')).toMatch(/^Det er ikke et gyldigt mobilnummer/);
    expect(phoneRejectionMessage('not_mobile')).toContain('ikke kan modtage SMS');
  });
});

describe('maskPhone', () => {
  it('keeps only the country code and the last two digits', () => {
    expect(maskPhone('+4520123456')).toBe('+45******56');
    expect(maskPhone('+46701234567')).toBe('+46*******67');
    expect(maskPhone('+14155552671')).toBe('+1********71');
    expect(maskPhone('+4520123456')).not.toContain('2012');
  });
});
