/**
 * What the room UI says when a bridge call fails. It branches on the error's `code` and shows its
 * own text in the UI's language; the agent's `message` (Danish, for logs) is never shown.
 */
import { isBridgeError, type BridgeErrorCode } from '../../src-shared/ipc/room-bridge.contract';
import type { MessageKey } from '../i18n/translate';

/** One text per code: a code added to the contract without a text here is a compile error. */
export const BRIDGE_ERROR_TEXT: Record<BridgeErrorCode, MessageKey> = {
  invalid_request: 'room.error.invalid_request',
  unknown_method: 'room.error.unknown_method',
  invalid_activation_code: 'room.error.invalid_activation_code',
  not_provisioned: 'room.error.not_provisioned',
  already_provisioned: 'room.error.already_provisioned',
  busy: 'room.error.busy',
  not_in_call: 'room.error.not_in_call',
  meeting_not_found: 'room.error.meeting_not_found',
  offline: 'room.error.offline',
  server_error: 'room.error.server_error',
  invalid_pin: 'room.error.invalid_pin',
  signed_out: 'room.error.signed_out',
  sign_in_failed: 'room.error.sign_in_failed',
  internal: 'room.error.internal',
};

/** The text for a rejected bridge call (anything that is not a bridge error is an internal one). */
export function bridgeErrorText(t: (key: MessageKey) => string, err: unknown): string {
  return t(isBridgeError(err) ? BRIDGE_ERROR_TEXT[err.code] : 'room.error.internal');
}
