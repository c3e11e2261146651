import { da, type MessageKey } from './da';
import { en } from './en';

export type { MessageKey } from './da';

/** Languages the UI ships; Danish is the default everywhere. */
export const LANGUAGES = ['da', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'da';

export const dictionaries: Record<Language, Record<MessageKey, string>> = { da, en };

/** Values substituted into `{name}` placeholders. */
export type MessageParams = Record<string, string | number>;

/** Placeholder names used by a message, e.g. `['name']` for "Hej {name}". */
export function placeholders(message: string): string[] {
  return [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

/** Looks up a message and fills its placeholders; unknown placeholders stay visible (a bug to see). */
export function translate(language: Language, key: MessageKey, params?: MessageParams): string {
  const message = dictionaries[language][key] ?? dictionaries[DEFAULT_LANGUAGE][key] ?? key;
  if (!params) return message;
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Picks a supported language from a stored choice or browser preference, else Danish. */
export function pickLanguage(...candidates: (string | null | undefined)[]): Language {
  for (const c of candidates) {
    const base = c?.toLowerCase().split('-')[0];
    if (base && (LANGUAGES as readonly string[]).includes(base)) return base as Language;
  }
  return DEFAULT_LANGUAGE;
}
