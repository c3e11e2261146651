/**
 * The agent's side of the room bridge, shared by both shells: validates every incoming request
 * against the contract before a handler sees it, turns every outcome into a {@link BridgeResult}
 * envelope (never a thrown error across the boundary), and validates every outgoing event.
 */
import {
  BridgeError,
  bridgeEvents,
  bridgeMethods,
  type BridgeEventName,
  type BridgeMethodName,
  type BridgeResult,
} from '../../../src-shared/ipc/room-bridge.contract';
import type { AgentLogger } from '../platform/platform';
import type { RoomAgent } from '../room-agent';

export function isBridgeMethod(channel: unknown): channel is BridgeMethodName {
  return typeof channel === 'string' && Object.hasOwn(bridgeMethods, channel);
}

/** Dispatches one call. Unknown channels, invalid requests and handler failures become `{ok:false}`. */
export async function dispatchBridgeCall(
  handlers: RoomAgent['handlers'],
  channel: unknown,
  request: unknown,
  log: AgentLogger,
): Promise<BridgeResult> {
  if (!isBridgeMethod(channel)) {
    return { ok: false, error: { code: 'unknown_method', message: `Unknown bridge method ${String(channel).slice(0, 64)}` } };
  }
  const parsed = bridgeMethods[channel].request.safeParse(request ?? {});
  if (!parsed.success) {
    log.warn('bridge request refused', { channel, code: 'invalid_request', issues: parsed.error.issues.length });
    return { ok: false, error: { code: 'invalid_request', message: `${channel}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` } };
  }
  try {
    const handler = handlers[channel] as (r: unknown) => Promise<unknown>;
    const response = await handler(parsed.data);
    return { ok: true, response: bridgeMethods[channel].response.parse(response) };
  } catch (err) {
    const known = BridgeError.safeParse({ code: (err as { code?: unknown }).code, message: (err as Error).message });
    if (known.success) return { ok: false, error: known.data };
    log.error('bridge handler failed', { channel, error: (err as Error).message });
    return { ok: false, error: { code: 'internal', message: 'Der opstod en intern fejl.' } };
  }
}

/** Validates an outgoing event; null (and a log line) when the agent produced something off-contract. */
export function checkBridgeEvent(event: BridgeEventName, payload: unknown, log: AgentLogger): unknown | null {
  const parsed = bridgeEvents[event].safeParse(payload);
  if (parsed.success) return parsed.data;
  log.error('agent produced an off-contract event; not sent', { event, issues: parsed.error.issues.slice(0, 3) });
  return null;
}
