import '../ui/strict-csp';
import 'webrtc-adapter';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider } from '../i18n/I18nProvider';
import '../ui/theme.css';
import './join.css';
import { JoinApp } from './JoinApp';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider followBrowser>
      <JoinApp />
    </I18nProvider>
  </StrictMode>,
);
