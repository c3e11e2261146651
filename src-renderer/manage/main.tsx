import '../ui/strict-csp';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider } from '../i18n/I18nProvider';
import { createStaffSession } from '../ui/staff-session';
import '../ui/theme.css';
import './manage.css';
import { API_CLIENT_LOGIN, ManageApp } from './ManageApp';

// Read before the session strips the sign-in's answer from the address bar.
const query = new URLSearchParams(window.location.search);
const returnedFromSignIn = query.has('code') || query.has('error');
const apiClient = query.get('login') === API_CLIENT_LOGIN;

// One staff session per page; its tokens live in this page's memory only (decision 0015). The
// API-client sign-in does not use it, so it does not ask the provider either.
const session = createStaffSession({ redirectPath: '/manage/' });
if (!apiClient) void session.start();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <ManageApp staff={session} returnedFromSignIn={returnedFromSignIn} apiClient={apiClient} />
    </I18nProvider>
  </StrictMode>,
);
