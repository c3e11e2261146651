/** Messages IT puts on the room's screen (the `message` event or the `show_message` command) until they expire. */
import type { z } from 'zod';
import type { MessageData } from '../../../src-shared/devices/events.schema';
import type { BridgeEventName, ScreenMessage } from '../../../src-shared/ipc/room-bridge.contract';
import { OK, type BridgeHandlers } from '../bridge/agent-handlers';
import type { AgentContext } from '../runtime/agent-context';

export class ScreenMessagesController {
  readonly #messages = new Map<string, ScreenMessage>();

  constructor(private readonly ctx: AgentContext) {}

  readonly handlers = {
    'message:dismiss': async (request) => {
      if (this.#messages.delete(request.id)) this.ctx.events.emit('message:hide', { id: request.id });
      return OK;
    },
  } satisfies Pick<BridgeHandlers, 'message:dismiss'>;

  show(data: z.infer<typeof MessageData>): void {
    if (Date.parse(data.expiresAt) <= this.ctx.clock.now().getTime()) return;
    const message: ScreenMessage = { id: data.id, text: data.text, severity: data.severity, expiresAt: data.expiresAt };
    this.#messages.set(message.id, message);
    this.ctx.events.emit('message:show', message);
  }

  tick(now: Date): void {
    for (const [id, m] of this.#messages) {
      if (m.expiresAt && Date.parse(m.expiresAt) <= now.getTime()) {
        this.#messages.delete(id);
        this.ctx.events.emit('message:hide', { id });
      }
    }
  }

  /** What a freshly connected UI must show. */
  replay(): Array<{ event: BridgeEventName; payload: unknown }> {
    return [...this.#messages.values()].map((m) => ({ event: 'message:show' as const, payload: m }));
  }
}
