/**
 * Management commands (the `command` event): each runs at most once — the server re-sends a
 * command until it is answered, so the ids already handled are remembered — and its result goes
 * back through the outbox. What a command does belongs to the capability it touches; this runner
 * only validates, dedupes, dispatches and answers.
 */
import { z } from 'zod';
import { CommandArgs, type CommandResult } from '../../../src-shared/devices/commands.schema';
import type { CommandEventData } from '../../../src-shared/devices/events.schema';
import { AgentError } from '../bridge/agent-handlers';
import type { CallsController } from '../calls/calls.controller';
import type { HealthController } from '../health/health.controller';
import type { ScreenMessagesController } from '../messages/screen-messages.controller';
import type { ShellControl } from '../platform/platform';
import type { AgentContext } from '../runtime/agent-context';
import { storedValue, type StoredValue } from '../runtime/stored-value';
import type { UpdatesController } from '../updates/updates.controller';

/** How many handled command ids are remembered (far more than the server keeps unanswered). */
const REMEMBERED_COMMANDS = 200;

type Command = z.infer<typeof CommandEventData>;
type Args<T extends Command['type']> = z.output<(typeof CommandArgs)[T]>;
type Outcome = { result: CommandResult; after: (() => void | Promise<void>) | null };

export interface CommandTargets {
  shell: ShellControl;
  health: Pick<HealthController, 'queue' | 'flush'>;
  updates: Pick<UpdatesController, 'supported' | 'check'>;
  messages: Pick<ScreenMessagesController, 'show'>;
  calls: Pick<CallsController, 'joinForCommand' | 'leaveForCommand' | 'requestLeave'>;
  collectLogs(options: { sinceMinutes: number; maxLines: number }): string;
  /** `reprovision`: wipe the credential (back to activation), or fetch config and schedule again. */
  reprovision(wipeCredentials: boolean): Promise<void>;
  enrolled(): boolean;
}

export class CommandsController {
  /** Settings key `handledCommands`: the newest {@link REMEMBERED_COMMANDS} ids, oldest first. */
  readonly #handled: StoredValue<string[]>;

  constructor(
    private readonly ctx: AgentContext,
    private readonly o: CommandTargets,
  ) {
    this.#handled = storedValue(ctx.settings, 'handledCommands', z.array(z.string()), []);
  }

  async run(command: Command): Promise<void> {
    const { log, clock } = this.ctx;
    if (!this.o.enrolled()) return;
    const done = this.#handled.get();
    if (done.includes(command.id)) return;
    if (Date.parse(command.expiresAt) <= clock.now().getTime()) {
      log.info('ignoring an expired command', { id: command.id, type: command.type });
      return;
    }
    this.#handled.set([...done, command.id].slice(-REMEMBERED_COMMANDS));
    log.info('command', { id: command.id, type: command.type });
    let outcome: Outcome;
    try {
      const args = CommandArgs[command.type].safeParse(command.args);
      if (!args.success) throw new AgentError('invalid_request', `Invalid arguments: ${args.error.message}`);
      outcome = await this.#execute(command, args.data);
    } catch (err) {
      outcome = { result: { status: 'failed', detail: `${(err as AgentError).code ?? 'error'}: ${(err as Error).message}` }, after: null };
    }
    this.o.health.queue({ kind: 'command_result', commandId: command.id, body: outcome.result });
    await this.o.health.flush();
    log.info('command result', { id: command.id, type: command.type, status: outcome.result.status });
    await outcome.after?.();
  }

  async #execute(command: Command, args: Args<Command['type']>): Promise<Outcome> {
    const ok = (detail?: string): CommandResult => ({ status: 'succeeded', ...(detail ? { detail } : {}) });
    switch (command.type) {
      case 'restart_app':
        // Answer first: after the restart nobody remembers the command.
        return { result: ok('restarting'), after: () => this.o.shell.restartApp() };
      case 'reload_ui':
        return { result: ok('reloading'), after: () => this.o.shell.reloadUi() };
      case 'check_update': {
        if (!this.o.updates.supported) return { result: { status: 'failed', detail: 'this shell cannot update itself' }, after: null };
        const found = await this.o.updates.check();
        return { result: ok(found.available ? `update ${found.version} downloading; installs when the room is idle in its maintenance window` : 'up to date'), after: null };
      }
      case 'show_message': {
        const a = args as Args<'show_message'>;
        const until = a.durationSeconds ? new Date(this.ctx.clock.now().getTime() + a.durationSeconds * 1000).toISOString() : command.expiresAt;
        this.o.messages.show({ id: command.id, text: a.text, severity: a.severity, expiresAt: until });
        return { result: ok(), after: null };
      }
      case 'join_meeting': {
        const a = args as Args<'join_meeting'>;
        await this.o.calls.joinForCommand(a.alias, a.pin);
        return { result: ok(`joining ${a.alias}`), after: null };
      }
      case 'leave_meeting':
        return { result: ok(this.o.calls.leaveForCommand() ? 'leaving' : 'not in a call'), after: null };
      case 'collect_logs': {
        const a = args as Args<'collect_logs'>;
        return { result: ok(this.o.collectLogs(a).slice(-60 * 1024)), after: null };
      }
      case 'reprovision': {
        const wipe = (args as Args<'reprovision'>).wipeCredentials;
        return {
          result: ok(wipe ? 'credentials wiped; showing the activation screen' : 'refetching config and schedule'),
          after: async () => {
            this.o.calls.requestLeave('reprovision');
            await this.o.reprovision(wipe);
          },
        };
      }
    }
  }
}
