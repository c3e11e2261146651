import { AddPersonParticipant, PhoneNumber } from '../../src-shared/appointments/appointments.contract';
import type { AddParticipantRequest } from '../../src-shared/appointments/appointments.contract';
import type { MessageKey } from '../i18n/translate';

/**
 * A person invited to a meeting (name, and an e-mail and/or a mobile number), checked with the
 * appointments contract's own rules before it is sent: Danish mobile numbers may be typed as eight
 * digits, the server stores them as E.164. Sending the invitations is the SMS capability's.
 */
export interface PersonDraft {
  name: string;
  email: string;
  phone: string;
}

export type PersonErrors = Partial<Record<keyof PersonDraft, MessageKey>>;

export const emptyPerson: PersonDraft = { name: '', email: '', phone: '' };

export function checkPerson(draft: PersonDraft): { ok: true; body: AddParticipantRequest } | { ok: false; errors: PersonErrors } {
  const errors: PersonErrors = {};
  const name = draft.name.trim();
  const email = draft.email.trim();
  const phone = draft.phone.trim();
  if (!name) errors.name = 'booking.people.error.name';
  else if (name.length > 200) errors.name = 'booking.people.error.nameTooLong';
  if (!email && !phone) errors.email = 'booking.people.error.contact';
  if (email && !AddPersonParticipant.shape.email.safeParse(email).success) errors.email = 'booking.people.error.email';
  if (phone && !PhoneNumber.safeParse(phone).success) errors.phone = 'booking.people.error.phone';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, body: { kind: 'person', name, ...(email ? { email } : {}), ...(phone ? { phone } : {}) } };
}
