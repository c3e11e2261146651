/** Types for the bridge methods the agent's controllers serve, and the error they throw. */
import type { z } from 'zod';
import type {
  BridgeError,
  BridgeErrorCode,
  BridgeMethodName,
  BridgeResponse,
  bridgeMethods,
} from '../../../src-shared/ipc/room-bridge.contract';

export type BridgeHandler<M extends BridgeMethodName> = (request: z.output<(typeof bridgeMethods)[M]['request']>) => Promise<BridgeResponse<M>>;

/** Every bridge method, each served by exactly one controller (the composition root merges them). */
export type BridgeHandlers = { [M in BridgeMethodName]: BridgeHandler<M> };

/** Thrown by handlers; the bridge host turns it into `{code, message}`. */
export class AgentError extends Error implements BridgeError {
  constructor(
    readonly code: BridgeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const OK = { ok: true as const };
