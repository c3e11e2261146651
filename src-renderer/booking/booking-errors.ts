import { VdxCode } from '../../src-shared/booking/vdx-codes';
import type { MessageKey } from '../i18n/translate';
import { BookingApiError } from './booking-api';

/**
 * What the page says when the server refuses: one plain sentence per VDX `detailed_error_code`
 * (VDX-BOOKING-API.md, "Errors (v2)") and per code of ours, never the number or the server's
 * English text. What a person did decides a few: a refused change of a meeting that has started
 * reads differently from a refused cancellation.
 */
export type FailedAction = 'load' | 'book' | 'change' | 'cancel' | 'participant';

const BY_VDX_CODE: Partial<Record<number, MessageKey>> = {
  [VdxCode.validation]: 'booking.error.validation',
  [VdxCode.updateNeedsStatus]: 'booking.error.notChangeable',
  [VdxCode.deleteNeedsStatus]: 'booking.error.notCancellable',
  [VdxCode.uriAssignmentFailed]: 'booking.error.templateSetup',
  [VdxCode.noUniqueUri]: 'booking.error.noAddressLeft',
  [VdxCode.guestPinFailed]: 'booking.error.templateSetup',
  [VdxCode.hostPinFailed]: 'booking.error.templateSetup',
  [VdxCode.adHocNotAllowed]: 'booking.error.noPool',
  [VdxCode.noUnusedSchedulingInfo]: 'booking.error.poolEmpty',
  [VdxCode.externalIdNotUnique]: 'booking.error.externalIdTaken',
  [VdxCode.organisationNotFound]: 'booking.error.organisationUnknown',
  [VdxCode.organisationNotPoolEnabled]: 'booking.error.noPool',
  [VdxCode.shortIdFailed]: 'booking.error.tryAgain',
  [VdxCode.yearNotFourDigits]: 'booking.error.year',
  [VdxCode.templateNotFound]: 'booking.error.templateGone',
  [VdxCode.templateNotInOrganisation]: 'booking.error.templateGone',
  [VdxCode.fromToPair]: 'booking.error.tryAgain',
  [VdxCode.reservationNotFound]: 'booking.error.poolEmpty',
  [VdxCode.fieldNotNullable]: 'booking.error.validation',
  [VdxCode.customUriNotAllowed]: 'booking.error.customAddress',
  [VdxCode.uriAlreadyUsed]: 'booking.error.addressTaken',
  [VdxCode.uriInvalidCharacters]: 'booking.error.addressCharacters',
  [VdxCode.additionalInfoKeysNotUnique]: 'booking.error.validation',
  [VdxCode.searchNeedsParameter]: 'booking.error.searchEmpty',
};

const BY_OUR_CODE: Record<string, MessageKey> = {
  participant_exists: 'booking.error.roomAlreadyInvited',
  room_not_found: 'booking.error.roomGone',
  meeting_not_found: 'booking.error.meetingGone',
  meeting_not_yours: 'booking.error.forbidden',
  booking_role_required: 'booking.error.noBookingRole',
  validation_failed: 'booking.error.validation',
};

/** The sentence for a failure of `action`. */
export function failureMessage(error: unknown, action: FailedAction): MessageKey {
  if (!(error instanceof BookingApiError)) return 'booking.error.unexpected';
  if (error.kind === 'unreachable') return 'booking.error.unreachable';
  if (error.kind === 'signed-out') return 'booking.error.signedOut';
  const byOurs = error.code ? BY_OUR_CODE[error.code] : undefined;
  if (byOurs) return byOurs;
  const byVdx = error.vdxCode !== undefined ? BY_VDX_CODE[error.vdxCode] : undefined;
  if (byVdx) return byVdx;
  // Code 11 (basic) and anything without a code: the status says what happened.
  if (error.status === 403) return action === 'load' ? 'booking.error.forbidden' : 'booking.error.notYours';
  if (error.status === 404) return 'booking.error.meetingGone';
  if (error.status === 406) return action === 'cancel' ? 'booking.error.notCancellable' : 'booking.error.notChangeable';
  if (error.status === 429) return 'booking.error.tooMany';
  if (error.status >= 500) return 'booking.error.server';
  return 'booking.error.unexpected';
}
