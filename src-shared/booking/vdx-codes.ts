/**
 * The VDX Booking API's `detailed_error_code` values (VDX-BOOKING-API.md, "Errors (v2)").
 * Names are ours; the numbers are the API's and never change. Shared: the server answers with
 * them and the booking page turns each into its own sentence.
 */
export const VdxCode = {
  validation: 10,
  basic: 11,
  updateNeedsStatus: 12,
  deleteNeedsStatus: 13,
  uriAssignmentFailed: 14,
  noUniqueUri: 15,
  guestPinFailed: 16,
  hostPinFailed: 17,
  onePoolTemplate: 18,
  adHocNotAllowed: 19,
  noUnusedSchedulingInfo: 20,
  externalIdNotUnique: 21,
  organisationNotFound: 22,
  organisationNotPoolEnabled: 23,
  shortIdFailed: 24,
  yearNotFourDigits: 25,
  templateNotFound: 26,
  templateNotInOrganisation: 27,
  fromToPair: 28,
  reservationNotFound: 29,
  fieldNotNullable: 30,
  customUriNotAllowed: 31,
  uriAlreadyUsed: 32,
  uriInvalidCharacters: 33,
  reservationWithPin: 34,
  additionalInfoKeysNotUnique: 35,
  searchNeedsParameter: 36,
} as const;
export type VdxCode = (typeof VdxCode)[keyof typeof VdxCode];
