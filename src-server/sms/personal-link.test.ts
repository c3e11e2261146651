import { describe, expect, it } from 'vitest';
import { hashPersonalToken, isPersonalTokenShape, newPersonalToken, personalLink, PERSONAL_TOKEN_BYTES } from './personal-link';

describe('personal links', () => {
  it('makes tokens of at least 128 random bits, different every time', () => {
    expect(PERSONAL_TOKEN_BYTES * 8).toBeGreaterThanOrEqual(128);
    const tokens = new Set(Array.from({ length: 1000 }, () => newPersonalToken().token));
    expect(tokens.size).toBe(1000);
    for (const t of tokens) expect(isPersonalTokenShape(t)).toBe(true);
  });

  it('keeps only the SHA-256 of the token, from which the token cannot be read back', () => {
    const { token, hash } = newPersonalToken();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashPersonalToken(token));
    expect(hash).not.toContain(token);
    expect(hashPersonalToken(token + 'x')).not.toBe(hash);
  });

  it('uses the random source it is given, all of it', () => {
    const fixed = newPersonalToken((n) => Buffer.alloc(n, 0xff));
    expect(fixed.token).toBe('_'.repeat(24));
  });

  it('puts the token in the fragment of the guest page link, where no server log sees it', () => {
    const link = personalLink('https://vdx.test/join/', 'abc123', 'T'.repeat(24));
    expect(link).toBe(`https://vdx.test/join/abc123#p=${'T'.repeat(24)}`);
    expect(new URL(link).pathname).toBe('/join/abc123');
  });

  it('refuses strings that cannot be tokens', () => {
    expect(isPersonalTokenShape('short')).toBe(false);
    expect(isPersonalTokenShape('a'.repeat(23) + '=')).toBe(false);
  });
});
