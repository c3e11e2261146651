/**
 * How many SMS a text costs, as the network will split it (3GPP TS 23.038 for the alphabets,
 * TS 23.040 for concatenation). A text that fits the GSM 7-bit default alphabet (with its
 * extension table) travels as GSM-7: 160 septets in one SMS, 153 per part of a longer one (the
 * user data header takes 7). Any other character switches the whole text to UCS-2: 70 UTF-16
 * units in one SMS, 67 per part. An extension character (2 septets: ESC + char) or a surrogate pair
 * is never split between two parts, so a part may hold one unit fewer than its maximum.
 */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsSegments {
  encoding: SmsEncoding;
  /** Septets (GSM-7, extension characters count 2) or UTF-16 code units (UCS-2). */
  units: number;
  /** SMS parts the text is sent as (0 for an empty text). */
  segments: number;
  /** Units still free in the last part before another part is needed. */
  remaining: number;
}

/** The GSM 03.38 default alphabet (ESC at 0x1B left out: it only introduces the extension table). */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** The extension table's characters: each is sent as ESC + char, 2 septets. */
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

const LIMITS: Record<SmsEncoding, { single: number; part: number }> = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
};

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!GSM_BASIC.has(ch) && !GSM_EXTENSION.has(ch)) return false;
  return true;
}

export function smsSegments(text: string): SmsSegments {
  const encoding: SmsEncoding = isGsm7(text) ? 'GSM-7' : 'UCS-2';
  // Each character's size in units: a code point of the string (so surrogate pairs stay whole).
  const sizes = [...text].map((ch) => (encoding === 'GSM-7' ? (GSM_EXTENSION.has(ch) ? 2 : 1) : ch.length));
  const units = sizes.reduce((a, b) => a + b, 0);
  const { single, part } = LIMITS[encoding];
  if (units === 0) return { encoding, units, segments: 0, remaining: single };
  if (units <= single) return { encoding, units, segments: 1, remaining: single - units };
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > part) {
      segments++;
      used = 0;
    }
    used += size;
  }
  return { encoding, units, segments, remaining: part - used };
}
