import { describe, expect, it } from 'vitest';
import { da } from './da';
import { dictionaries, LANGUAGES, messageForms, pickLanguage, placeholders, translate } from './translate';

describe('UI dictionaries', () => {
  const keys = Object.keys(da).sort();

  it.each(LANGUAGES)('%s defines every key, and nothing else', (language) => {
    expect(Object.keys(dictionaries[language]).sort()).toEqual(keys);
  });

  it.each(LANGUAGES)('%s has no empty messages', (language) => {
    const empty = Object.entries(dictionaries[language]).filter(([, message]) => messageForms(message).some((text) => text.trim() === ''));
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

  it('picks the plural form by count with Intl.PluralRules', () => {
    expect(translate('da', 'manage.call.participants', { count: 1 })).toBe('1 deltager');
    expect(translate('da', 'manage.call.participants', { count: 2 })).toBe('2 deltagere');
    expect(translate('da', 'manage.call.participants', { count: 0 })).toBe('0 deltagere');
    expect(translate('en', 'manage.call.participants', { count: 1 })).toBe('1 participant');
    expect(translate('en', 'manage.call.participants', { count: 5 })).toBe('5 participants');
  });

  it.each(LANGUAGES)('%s: every plural message has the forms its language needs, each with {count}', (language) => {
    const needed = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
    const plural = Object.entries(dictionaries[language]).filter(([, m]) => typeof m !== 'string') as Array<[string, Record<string, string>]>;
    expect(plural.length).toBeGreaterThan(0);
    for (const [key, forms] of plural) {
      expect({ key, missing: needed.filter((c) => !(c in forms)) }).toEqual({ key, missing: [] });
      expect({ key, without: Object.values(forms).filter((f) => !f.includes('{count}')) }).toEqual({ key, without: [] });
    }
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
