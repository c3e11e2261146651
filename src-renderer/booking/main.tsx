import '../ui/strict-csp';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider } from '../i18n/I18nProvider';
import { createStaffSession } from '../ui/staff-session';
import '../ui/theme.css';
import './booking.css';
import { BookingApp } from './BookingApp';

// Read before the session strips the sign-in's answer from the address bar.
const query = new URLSearchParams(window.location.search);
const returnedFromSignIn = query.has('code') || query.has('error');

// One session per page; its tokens live in this page's memory only (decision 0015).
const session = createStaffSession({ redirectPath: '/booking/' });
void session.start();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <BookingApp session={session} returnedFromSignIn={returnedFromSignIn} />
    </I18nProvider>
  </StrictMode>,
);
