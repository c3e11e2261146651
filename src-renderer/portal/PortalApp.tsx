import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { LanguageSwitch } from '../ui/LanguageSwitch';

/** The landing page at `/`: join a meeting by address, links to the room app, fleet management and the API docs. */
export function PortalApp() {
  const { t } = useI18n();
  const [alias, setAlias] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = alias.trim();
    if (value) window.location.assign(`/join?alias=${encodeURIComponent(value)}`);
  };
  return (
    <div className="portal">
      <header className="portal-header">
        <h1>{t('portal.title')}</h1>
        <LanguageSwitch />
      </header>
      <p>{t('portal.intro')}</p>
      <form className="vdx-card" onSubmit={submit}>
        <h2>{t('portal.join')}</h2>
        <div className="vdx-field">
          <label className="vdx-label" htmlFor="alias">
            {t('portal.alias')}
          </label>
          <input id="alias" className="vdx-input" value={alias} onChange={(e) => setAlias(e.target.value)} aria-describedby="alias-hint" />
          <p id="alias-hint" className="vdx-hint">
            {t('portal.joinHint')}
          </p>
        </div>
        <button type="submit" className="vdx-button primary">
          {t('portal.join')}
        </button>
      </form>
      <nav className="portal-links">
        <a className="vdx-button" href="/room/">
          {t('portal.room')}
        </a>
        <a className="vdx-button" href="/booking/">
          {t('portal.booking')}
        </a>
        <a className="vdx-button" href="/manage/">
          {t('portal.manage')}
        </a>
        <a className="vdx-button" href="/openapi.json">
          {t('portal.api')}
        </a>
      </nav>
    </div>
  );
}
