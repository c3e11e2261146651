import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Client secrets: generated with 256 bits of entropy, stored only as an scrypt hash
 * (`scrypt$N$r$p$salt$hash`, base64url parts), compared in constant time.
 *
 * scrypt N=2^14, r=8, p=1 (16 MiB, tens of milliseconds here) is OWASP's minimum for scrypt. The
 * secrets we generate are unguessable anyway; the slow hash matters for operator-chosen secrets
 * (the bootstrap admin's) and for a leaked database. Parameters are stored with each hash, so they
 * can be raised later without invalidating existing secrets.
 */
const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;

/** A new client secret: 32 random bytes, base64url (43 characters, safe in forms and Basic auth). */
export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

export async function hashClientSecret(secret: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(secret, salt, KEY_LENGTH, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** True when `secret` matches `stored`; false for a malformed stored hash (never throws on input). */
export async function verifyClientSecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  if (!n || !r || !p) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (expected.length === 0) return false;
  const actual = await derive(secret, salt, expected.length, { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 });
  return timingSafeEqual(actual, expected);
}

/**
 * A hash of a random secret, used to spend the same time on an unknown client id as on a known
 * one, so response timing does not reveal which client ids exist.
 */
export function decoyHash(): Promise<string> {
  decoy ??= hashClientSecret(generateClientSecret());
  return decoy;
}
let decoy: Promise<string> | undefined;

function derive(secret: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret.normalize('NFC'), salt, length, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}
