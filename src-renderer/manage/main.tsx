import '../ui/strict-csp';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider } from '../i18n/I18nProvider';
import '../ui/theme.css';
import './manage.css';
import { ManageApp } from './ManageApp';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <ManageApp />
    </I18nProvider>
  </StrictMode>,
);
