import type { MessageKey } from '../../i18n/translate';
import type { Translate } from '../fleet-format';
import { ManageApiError } from '../manage-api';

/** Refusals IT can act on, by the server's stable error code (the page never shows the server's English). */
const BY_CODE: Record<string, MessageKey> = {
  theme_not_found: 'manage.room.error.theme',
  organisation_out_of_scope: 'manage.room.error.scope',
  organisation_not_found: 'manage.room.error.scope',
  room_not_found: 'manage.room.error.gone',
  room_has_devices: 'manage.room.error.hasDevices',
  validation_failed: 'manage.room.error.invalid',
  expires_in_past: 'manage.code.error.expiry',
  expires_too_late: 'manage.code.error.expiry',
  activation_code_not_found: 'manage.code.error.gone',
};

/** A failed room or activation-code request in the page's language, saying why. */
export function roomErrorMessage(error: unknown, t: Translate): string {
  if (error instanceof ManageApiError) {
    if (error.kind === 'unreachable') return t('manage.error.network');
    const key = error.code ? BY_CODE[error.code] : undefined;
    if (key) return t(key);
    if (error.kind === 'forbidden') return t('manage.room.error.scope');
    if (error.kind === 'expired') return t('manage.error.expired');
    return t('manage.room.error.failed', { code: error.code ?? `HTTP ${error.status ?? '?'}` });
  }
  return t('manage.room.error.failed', { code: error instanceof Error ? error.name : 'unknown' });
}
