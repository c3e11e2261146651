import { describe, expect, it } from 'vitest';
import { checkPerson } from './person-draft';

describe('a person to invite', () => {
  it('needs a name and an e-mail or a mobile number', () => {
    expect(checkPerson({ name: ' ', email: '', phone: '' })).toEqual({ ok: false, errors: { name: 'booking.people.error.name', email: 'booking.people.error.contact' } });
    expect(checkPerson({ name: 'Jens Hansen', email: 'jens@example.dk', phone: '' })).toEqual({ ok: true, body: { kind: 'person', name: 'Jens Hansen', email: 'jens@example.dk' } });
  });

  it('takes a Danish mobile as 8 digits and refuses what is no number', () => {
    expect(checkPerson({ name: 'Jens', email: '', phone: '12 34 56 78' })).toMatchObject({ ok: true, body: { phone: '12 34 56 78' } });
    expect(checkPerson({ name: 'Jens', email: '', phone: '1234' })).toEqual({ ok: false, errors: { phone: 'booking.people.error.phone' } });
    expect(checkPerson({ name: 'Jens', email: 'not-an-address', phone: '' })).toEqual({ ok: false, errors: { email: 'booking.people.error.email' } });
  });
});
