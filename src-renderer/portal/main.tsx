import '../ui/strict-csp';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider } from '../i18n/I18nProvider';
import '../ui/theme.css';
import './portal.css';
import { PortalApp } from './PortalApp';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider followBrowser>
      <PortalApp />
    </I18nProvider>
  </StrictMode>,
);
