import type { FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { VDX_CODE_PARAM } from '../../src-shared/booking/booking.schemas';
import { HttpError, type ErrorFormatter } from '../http/errors';

/**
 * The VDX Booking API's `detailed_error_code` values (VDX-BOOKING-API.md, "Errors (v2)").
 * Names are ours; the numbers are the API's and never change.
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

/** A booking error: status, VDX code and a readable message (snake_case code for our logs). */
export function vdxError(status: 400 | 401 | 403 | 404 | 406, vdxCode: number, code: string, message: string): HttpError {
  return new HttpError(status, code, message, undefined, vdxCode);
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Body of every error under `/videoapi/`, as the real API writes it. */
export interface VdxErrorBody {
  timestamp: string;
  status: number;
  error: string;
  path: string;
  detailed_error: string;
  /** A JSON string (`"21"`), as the real service writes it (its spec: a string enum). */
  detailed_error_code: string;
}

/** Error formatter for the `/videoapi/` prefix (registered in app.ts). */
export function vdxErrorFormat(now: () => Date): ErrorFormatter {
  return (error, request) => {
    const body: VdxErrorBody = {
      timestamp: now().toISOString(),
      status: error.status,
      error: REASONS[error.status] ?? 'Error',
      path: request.url.split('?')[0]!,
      detailed_error: error.message,
      detailed_error_code: String(error.vdxCode ?? (error.status === 400 ? VdxCode.validation : VdxCode.basic)),
    };
    return body;
  };
}

/**
 * Turns a schema failure into the VDX answer. Booking routes validate with `attachValidation` and
 * call this after authentication, so an unauthenticated caller learns nothing about the body and
 * an issue carrying its own VDX code (year with other than 4 digits → 25) keeps it.
 */
export function rejectInvalidRequest(request: FastifyRequest): void {
  const err = request.validationError;
  if (!err) return;
  const issues = err instanceof ZodError ? err.issues : [];
  const first = issues[0];
  const coded = issues.find((i) => typeof (i as { params?: Record<string, unknown> }).params?.[VDX_CODE_PARAM] === 'number');
  const vdxCode = coded ? ((coded as { params: Record<string, number> }).params[VDX_CODE_PARAM] as number) : VdxCode.validation;
  const shown = coded ?? first;
  const context = (err as { validationContext?: string }).validationContext;
  const where = shown ? [context, ...shown.path.map(String)].filter(Boolean).join('.') : context;
  const message = shown ? `${where || 'request'}: ${shown.message}` : err.message;
  throw new HttpError(400, 'validation_failed', message, undefined, vdxCode);
}
