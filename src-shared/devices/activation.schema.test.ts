import { describe, expect, it } from 'vitest';
import { ACTIVATION_ALPHABET, ActivationCodeInput, formatActivationCode, normaliseActivationCode } from './activation.schema';

describe('activation codes as people type them', () => {
  it('has no look-alike characters in its alphabet', () => {
    for (const c of '0125OILSBZUV') expect(ACTIVATION_ALPHABET).not.toContain(c);
    expect(new Set(ACTIVATION_ALPHABET).size).toBe(ACTIVATION_ALPHABET.length);
  });

  it('accepts lower case, spaces and dashes, and refuses wrong lengths and characters', () => {
    expect(ActivationCodeInput.parse(' 7kqm 3xwp-ht9c ')).toBe('7KQM3XWPHT9C');
    expect(normaliseActivationCode('ab-cd')).toBe('ABCD');
    expect(formatActivationCode('7KQM3XWPHT9C')).toBe('7KQM-3XWP-HT9C');
    expect(ActivationCodeInput.safeParse('7KQM-3XWP-HT9').success).toBe(false);
    expect(ActivationCodeInput.safeParse('7KQM-3XWP-HT9O').success).toBe(false);
  });
});
