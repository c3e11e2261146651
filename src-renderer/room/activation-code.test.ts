import { describe, expect, it } from 'vitest';
import { formatWhileTyping, parseActivationInput } from './activation-code';

describe('activation code input', () => {
  it('accepts a code however it is grouped or cased', () => {
    for (const typed of ['7KQM-3XWP-HT9C', '7kqm 3xwp ht9c', '7kqm3xwpht9c', '  7KQM - 3XWP - HT9C ']) {
      expect(parseActivationInput(typed)).toEqual({ kind: 'code', code: '7KQM-3XWP-HT9C' });
    }
  });

  it('says a short code is incomplete', () => {
    expect(parseActivationInput('7KQM-3X')).toEqual({ kind: 'incomplete', length: 6 });
    expect(parseActivationInput('')).toEqual({ kind: 'empty' });
  });

  it('rejects look-alike characters that never occur in codes, and over-long input', () => {
    expect(parseActivationInput('7KQM-3XWP-HT0C')).toEqual({ kind: 'invalid' }); // 0 (zero)
    expect(parseActivationInput('OKQM-3XWP-HT9C')).toEqual({ kind: 'invalid' }); // O
    expect(parseActivationInput('7KQM-2XWP-HT9C')).toEqual({ kind: 'invalid' }); // 2 (looks like Z)
    expect(parseActivationInput('7KQM-3XWP-HT9C-A')).toEqual({ kind: 'invalid' });
    expect(parseActivationInput('7KQM-3XWP-HT9!')).toEqual({ kind: 'invalid' });
  });

  it('passes a pasted activation link through whole', () => {
    const url = 'vdxroom://activate?server=https%3A%2F%2Fvdx.example&code=7KQM-3XWP-HT9C';
    expect(parseActivationInput(` ${url} `)).toEqual({ kind: 'url', url });
    expect(parseActivationInput('VDXROOM:activate?code=x')).toEqual({ kind: 'url', url: 'vdxroom://activate?code=x' });
  });

  it('groups what is typed into 4-4-4', () => {
    expect(formatWhileTyping('7kqm')).toBe('7KQM');
    expect(formatWhileTyping('7kqm3')).toBe('7KQM-3');
    expect(formatWhileTyping('7kqm3xwpht9c')).toBe('7KQM-3XWP-HT9C');
    expect(formatWhileTyping('vdxroom://activate?code=abc')).toBe('vdxroom://activate?code=abc');
  });
});
