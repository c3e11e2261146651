import {
  ACTIVATION_ALPHABET,
  ACTIVATION_CODE_LENGTH,
  formatActivationCode,
  normaliseActivationCode,
} from '../../src-shared/devices/activation.schema';

/** What the activation field currently holds, decided as the person types or pastes. */
export type ActivationInput =
  | { kind: 'empty' }
  /** A `vdxroom://activate?server=…&code=…` link: handed to the agent whole. */
  | { kind: 'url'; url: string }
  /** A complete, well-formed code in 4-4-4 form. */
  | { kind: 'code'; code: string }
  /** Fewer than 12 valid characters so far. */
  | { kind: 'incomplete'; length: number }
  /** Too long, or characters that never occur in a code (0/O, 1/I/L, 2/Z, 5/S, B, U/V …). */
  | { kind: 'invalid' };

const ALPHABET = new Set(ACTIVATION_ALPHABET);

/** Classifies the field's text (see {@link ActivationInput}). */
export function parseActivationInput(raw: string): ActivationInput {
  const text = raw.trim();
  if (text === '') return { kind: 'empty' };
  if (/^vdxroom:/i.test(text)) return { kind: 'url', url: text.replace(/^vdxroom:(\/\/)?/i, 'vdxroom://') };
  const normalised = normaliseActivationCode(text);
  if ([...normalised].some((c) => !ALPHABET.has(c)) || normalised.length > ACTIVATION_CODE_LENGTH) return { kind: 'invalid' };
  if (normalised.length < ACTIVATION_CODE_LENGTH) return { kind: 'incomplete', length: normalised.length };
  return { kind: 'code', code: formatActivationCode(normalised) };
}

/**
 * Re-formats the field while typing: upper case, dashes between groups of four, so what the
 * person sees matches the code on IT's sheet. Links are left alone.
 */
export function formatWhileTyping(raw: string): string {
  if (/^\s*vdxroom:/i.test(raw)) return raw.trim();
  const normalised = normaliseActivationCode(raw).slice(0, ACTIVATION_CODE_LENGTH + 4);
  return formatActivationCode(normalised);
}
