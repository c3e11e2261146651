import { da, type MessageKey } from './da';
import { en } from './en';

export type { MessageKey } from './da';

/** Languages the UI ships; Danish is the default everywhere. */
export const LANGUAGES = ['da', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'da';

/** A text, or one text per plural category (`other` required), picked by the `count` parameter. */
export type PluralMessage = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
export type Message = string | PluralMessage;

export const dictionaries: Record<Language, Record<MessageKey, Message>> = { da, en };

/** Values substituted into `{name}` placeholders. */
export type MessageParams = Record<string, string | number>;

/** The texts of a message: itself, or each of its plural forms. */
export function messageForms(message: Message): string[] {
  return typeof message === 'string' ? [message] : Object.values(message);
}

/** Placeholder names used by a message, e.g. `['name']` for "Hej {name}" (every plural form's). */
export function placeholders(message: Message): string[] {
  return [...new Set(messageForms(message).flatMap((form) => [...form.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)))].sort();
}

const pluralRules = new Map<Language, Intl.PluralRules>();

function pluralForm(language: Language, message: PluralMessage, count: unknown): string {
  let rules = pluralRules.get(language);
  if (!rules) pluralRules.set(language, (rules = new Intl.PluralRules(language)));
  return message[rules.select(Number(count))] ?? message.other;
}

/** Looks up a message and fills its placeholders; unknown placeholders stay visible (a bug to see). */
export function translate(language: Language, key: MessageKey, params?: MessageParams): string {
  const found: Message = dictionaries[language][key] ?? dictionaries[DEFAULT_LANGUAGE][key] ?? key;
  const message = typeof found === 'string' ? found : pluralForm(language, found, params?.count);
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
