/**
 * iCalendar (RFC 5545) text helpers shared by the server's room calendars and the booking page's
 * `.ics` download. Browser-safe (TextEncoder, no Buffer).
 */

/** `20260302T090000Z` (§3.3.5, UTC form). */
export function icsTime(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** A TEXT value: backslash, semicolon, comma and newline escaped (§3.3.11). */
export function escapeText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Splits a content line into ≤ 75-octet pieces, continuation lines starting with one space (§3.1). */
export function fold(line: string): string {
  const bytes = encoder.encode(line);
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let start = 0;
  let limit = 75;
  while (start < bytes.length) {
    let end = Math.min(start + limit, bytes.length);
    // Never cut inside a multi-byte character: back up to a byte that starts one.
    while (end < bytes.length && (bytes[end]! & 0xc0) === 0x80) end--;
    parts.push(decoder.decode(bytes.subarray(start, end)));
    start = end;
    limit = 74; // the leading space of a continuation line counts
  }
  return parts.join('\r\n ');
}

/** Content lines joined as RFC 5545 wants them: folded, CRLF after every line. */
export function icsDocument(lines: string[]): string {
  return lines.map(fold).join('\r\n') + '\r\n';
}
