import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { DEFAULT_LANGUAGE, pickLanguage, translate, type Language, type MessageKey, type MessageParams } from './translate';

interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t(key: MessageKey, params?: MessageParams): string;
}

const I18nContext = createContext<I18n>({
  language: DEFAULT_LANGUAGE,
  setLanguage: () => undefined,
  t: (key, params) => translate(DEFAULT_LANGUAGE, key, params),
});

const STORAGE_KEY = 'vdx.language';

function storedLanguage(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/**
 * Provides `t()` to the tree. Danish unless the user picked English here before (remembered) or,
 * when `followBrowser` is set (guest page), the browser prefers English.
 */
export function I18nProvider({ children, followBrowser = false, initial }: { children: ReactNode; followBrowser?: boolean; initial?: Language }) {
  const [language, setLanguageState] = useState<Language>(() =>
    initial ?? pickLanguage(storedLanguage(), followBrowser && typeof navigator !== 'undefined' ? navigator.language : undefined),
  );
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembered; still switched for this session.
    }
  }, []);
  const value = useMemo<I18n>(
    () => ({ language, setLanguage, t: (key, params) => translate(language, key, params) }),
    [language, setLanguage],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The current language's translator. */
export function useI18n(): I18n {
  return useContext(I18nContext);
}
