import { HttpError, type ErrorFormatter } from '../http/errors';

/**
 * Errors of the Pexip client API. The SDK shows `result` to the app and maps well-known strings
 * to error codes (`getErrorCode` in `@pexip/infinity-api`: "Invalid PIN" → #pex101,
 * "Invalid token" → #pex113, "Neither conference nor gateway found" → #pex154, ...), so these
 * strings are part of the protocol: never reword them.
 */
export const PexipMessage = {
  invalidToken: 'Invalid token',
  invalidPin: 'Invalid PIN',
  pinRetries: 'Participant exceeded PIN entry retries',
  notFound: 'Neither conference nor gateway found',
  participantLimit: 'Participant limit reached',
  noMediaResource: 'Out of transcoding resource',
  permissionDenied: 'Permission denied',
  presentationNotAllowed: 'Presentation not allowed',
  unknownParticipant: 'Participant not found',
  unknownCall: 'Call not found',
  tooManyCandidates: 'Too many ICE candidates for this call',
} as const;

/** Throws as an HttpError; the Pexip formatter turns it into `{status:"failed", result}`. */
export const pexipError = (status: number, message: string, code = 'pexip_error') => new HttpError(status, code, message);

/** `{status:"failed", result:"<message>"}` for everything under `/api/client/`. */
export const pexipErrorFormat: ErrorFormatter = (error) => ({ status: 'failed', result: error.message });
