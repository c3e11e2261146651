import { describe, expect, it } from 'vitest';
import { da } from './da';
import { dictionaries, LANGUAGES, pickLanguage, placeholders, translate } from './translate';

describe('UI dictionaries', () => {
  const keys = Object.keys(da).sort();

  it.each(LANGUAGES)('%s defines every key, and nothing else', (language) => {
    expect(Object.keys(dictionaries[language]).sort()).toEqual(keys);
  });

  it.each(LANGUAGES)('%s has no empty messages', (language) => {
    const empty = Object.entries(dictionaries[language]).filter(([, text]) => text.trim() === '');
    expect(empty).toEqual([]);
  });

  it('every translation uses the same placeholders as the Danish text', () => {
    const mismatched = LANGUAGES.flatMap((language) =>
      keys.filter((key) => placeholders(dictionaries[language][key as keyof typeof da]).join() !== placeholders(da[key as keyof typeof da]).join()),
    );
    expect(mismatched).toEqual([]);
  });
});

describe('translate', () => {
  it('fills placeholders and defaults to Danish', () => {
    expect(translate('da', 'call.you', { name: 'Ida' })).toBe('Ida (dig)');
    expect(translate('en', 'call.you', { name: 'Ida' })).toBe('Ida (you)');
  });

  it('leaves a placeholder without a value visible', () => {
    expect(translate('en', 'call.you', {})).toBe('{name} (you)');
  });

  it('picks the first supported language, else Danish', () => {
    expect(pickLanguage(null, 'en-GB')).toBe('en');
    expect(pickLanguage('de', 'fr-FR')).toBe('da');
    expect(pickLanguage(undefined)).toBe('da');
    expect(pickLanguage('da', 'en-US')).toBe('da');
  });
});
