/** Kiosk admin exit: the PIN from the app configuration, compared in constant time; unset = no admin exit. */
import { timingSafeEqual } from 'node:crypto';
import { AgentError, OK, type BridgeHandlers } from '../bridge/agent-handlers';
import type { ShellControl } from '../platform/platform';
import type { AgentContext } from '../runtime/agent-context';

export class AdminExitController {
  constructor(
    private readonly ctx: AgentContext,
    private readonly shell: ShellControl,
    private readonly pin: string | null,
  ) {}

  readonly handlers = {
    'app:admin-exit': async (request) => {
      const a = Buffer.from(request.pin);
      const b = Buffer.from(this.pin ?? '');
      if (!this.pin || a.length !== b.length || !timingSafeEqual(a, b)) {
        this.ctx.log.warn('admin exit refused (wrong PIN)', { code: 'admin_exit_refused' });
        throw new AgentError('invalid_pin', 'Forkert PIN.');
      }
      this.ctx.log.info('admin exit');
      queueMicrotask(() => this.shell.quit());
      return OK;
    },
  } satisfies Pick<BridgeHandlers, 'app:admin-exit'>;
}
