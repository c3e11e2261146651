import type { FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { VDX_CODE_PARAM } from '../../src-shared/booking/booking.schemas';
import { HttpError, type ErrorFormatter } from '../http/errors';
import { VdxCode } from '../../src-shared/booking/vdx-codes';

export { VdxCode } from '../../src-shared/booking/vdx-codes';

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
