import type { SignInFailure } from './manage-api';
import { ManageApiError } from './manage-api';
import type { Translate } from './fleet-format';

/**
 * The page's error texts. The server's OAuth2 and API errors are English and technical; IT staff
 * get a Danish sentence for the cases they can act on, and the server's own words otherwise.
 */
export function signInMessage(failure: SignInFailure, t: Translate): string {
  switch (failure.kind) {
    case 'network':
      return t('manage.error.network');
    case 'unexpected':
      return t('manage.error.signInFailed', { message: `HTTP ${failure.status}` });
    case 'oauth':
      if (failure.code === 'invalid_client') return t('manage.error.invalidClient');
      if (failure.code === 'slow_down') return t('manage.error.slowDown');
      if (failure.code === 'unauthorized_client') return t('manage.error.unauthorizedClient');
      return t('manage.error.signInFailed', { message: failure.description ?? failure.code });
  }
}

/** A failed fleet read that keeps the session (expired/forbidden end it instead). */
export function fleetErrorMessage(error: unknown, t: Translate): string {
  if (error instanceof ManageApiError) {
    if (error.kind === 'unreachable') return t('manage.error.network');
    if (error.kind === 'expired') return t('manage.error.expired');
    if (error.kind === 'forbidden') return t('manage.error.forbidden');
    return t('manage.error.loadFailed', { message: error.message });
  }
  return t('manage.error.loadFailed', { message: error instanceof Error ? error.message : String(error) });
}
