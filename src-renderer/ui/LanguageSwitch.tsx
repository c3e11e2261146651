import { useI18n } from '../i18n/I18nProvider';
import { LANGUAGES, translate } from '../i18n/translate';

/** Buttons for Danish/English, each labelled in its own language. */
export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <div className="vdx-lang" role="group" aria-label={t('lang.switch')}>
      {LANGUAGES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          className={`vdx-button ${l === language ? 'active' : ''}`}
          aria-pressed={l === language}
          // The name holds the visible code too (WCAG 2.5.3, label in name): "English – EN".
          aria-label={`${translate(l, 'lang.name')} – ${l.toUpperCase()}`}
          onClick={() => setLanguage(l)}
        >
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
