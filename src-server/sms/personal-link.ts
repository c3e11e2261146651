import { createHash, randomBytes } from 'node:crypto';

/**
 * A personal link's secret: 144 random bits (more than the 128 the threat model asks for), as 24
 * URL-safe base64 characters so it fits a text message comfortably. Only its SHA-256 is stored:
 * a copy of the database does not let anyone join a meeting. A fast hash is enough for a secret
 * of this entropy (no dictionary to guess from); a slow one would only cost every lookup.
 */
export const PERSONAL_TOKEN_BYTES = 18;

export interface PersonalToken {
  /** Goes into the link, and nowhere else (never stored, never logged). */
  token: string;
  /** What the server keeps and looks the token up by (hex). */
  hash: string;
}

export function newPersonalToken(random: (n: number) => Buffer = randomBytes): PersonalToken {
  const token = random(PERSONAL_TOKEN_BYTES).toString('base64url');
  return { token, hash: hashPersonalToken(token) };
}

export function hashPersonalToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A string that can be a token this module made (checked before any lookup). */
export function isPersonalTokenShape(text: string): boolean {
  return /^[A-Za-z0-9_-]{24}$/.test(text);
}

/**
 * The link a recipient gets: the meeting's guest page (`/join/{shortId}`) with the token in the
 * URL fragment. A fragment never reaches a server, so the token is not in any access log, proxy
 * log or Referer header; the page hands it to the server in a request body.
 */
export function personalLink(joinBase: string, shortId: string, token: string): string {
  return `${joinBase}${shortId}#p=${token}`;
}
