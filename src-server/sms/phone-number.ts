import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Mobile numbers as clinicians type them. A number without a country prefix is Danish (8 digits,
 * spaces and dashes allowed: `20 12 34 56`); a number of any other country needs its `+` (or
 * `00`) prefix. Parsed with libphonenumber-js's full metadata, so a number of the right length
 * but outside the country's numbering plan is refused too. What is stored and sent is E.164.
 */
export type PhoneParse =
  | { ok: true; e164: string }
  | { ok: false; reason: PhoneRejection };

/**
 * Why a number was refused: `malformed` (not a phone number at all), `invalid` (not a number of
 * that country's plan), `not_mobile` (a landline or service number, which cannot receive SMS).
 */
export type PhoneRejection = 'malformed' | 'invalid' | 'not_mobile';

/** Number types that can receive an SMS. Danish numbers are mostly FIXED_LINE_OR_MOBILE in the plan. */
const SMS_CAPABLE = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE', 'PAGER', 'PERSONAL_NUMBER']);

/** The longest input looked at; anything longer is not a phone number someone typed. */
const MAX_INPUT = 40;

export function parseMobileNumber(raw: string): PhoneParse {
  const text = raw.trim();
  if (text.length === 0 || text.length > MAX_INPUT || !/^[+\d][\d\s\-().]*$/.test(text)) return { ok: false, reason: 'malformed' };
  const compact = text.replace(/[\s\-().]/g, '');
  // Without a prefix: 8 digits are a Danish national number, and "45" + 8 digits is one typed with
  // its country code but no "+". Anything else without a prefix is ambiguous and refused (another
  // country's number needs its "+").
  const international = compact.startsWith('+') || compact.startsWith('00');
  if (!international && !/^(45)?\d{8}$/.test(compact)) return { ok: false, reason: 'invalid' };
  const normalised = compact.startsWith('00') ? `+${compact.slice(2)}` : international || compact.length === 8 ? compact : `+${compact}`;
  const parsed = parsePhoneNumberFromString(normalised, 'DK');
  if (!parsed || !parsed.isValid()) return { ok: false, reason: 'invalid' };
  const type = parsed.getType();
  if (type !== undefined && !SMS_CAPABLE.has(type)) return { ok: false, reason: 'not_mobile' };
  return { ok: true, e164: parsed.number };
}

/**
 * The Danish explanation of a refusal, for the `invalid_phone` error's message. It does not repeat
 * the number (the error's `details.phone` does): the server logs every 4xx message, and numbers
 * never go into the log.
 */
export function phoneRejectionMessage(reason: PhoneRejection): string {
  switch (reason) {
    case 'malformed':
      return 'Det er ikke et telefonnummer. Skriv et dansk mobilnummer med 8 cifre eller et udenlandsk med landekode, fx +46 70 123 45 67.';
    case 'invalid':
      return 'Det er ikke et gyldigt mobilnummer. Danske numre har 8 cifre (med eller uden +45); udenlandske numre skal starte med + og landekode.';
    case 'not_mobile':
      return 'Det er et fastnet- eller servicenummer, som ikke kan modtage SMS. Brug et mobilnummer.';
  }
}

/**
 * A number fit for a log line: the country code and the last two digits (`+45******56`), enough to
 * tell messages apart in an incident without writing a citizen's number into the logs.
 */
export function maskPhone(e164: string): string {
  const digits = e164.replace(/^\+/, '');
  if (digits.length <= 4) return '+' + '*'.repeat(digits.length);
  const parsed = parsePhoneNumberFromString(e164);
  const cc = parsed?.countryCallingCode ?? digits.slice(0, 2);
  const rest = digits.slice(cc.length);
  return `+${cc}${'*'.repeat(Math.max(rest.length - 2, 0))}${rest.slice(-2)}`;
}
