/** The room's local settings (chosen camera, microphone, speaker, UI language), kept under the settings key `settings`. */
import { Settings, type Settings as SettingsValue } from '../../../src-shared/ipc/room-bridge.contract';
import type { BridgeHandlers } from '../bridge/agent-handlers';
import type { AgentContext } from '../runtime/agent-context';
import { storedValue, type StoredValue } from '../runtime/stored-value';

const DEFAULT_SETTINGS: SettingsValue = { cameraId: null, microphoneId: null, speakerId: null, locale: null };

export class RoomSettingsController {
  readonly #stored: StoredValue<SettingsValue>;

  constructor(private readonly ctx: AgentContext) {
    this.#stored = storedValue(ctx.settings, 'settings', Settings, DEFAULT_SETTINGS);
  }

  get current(): SettingsValue {
    return this.#stored.get();
  }

  readonly handlers = {
    'settings:get': async () => this.current,
    'settings:set': async (request) => {
      const next = Settings.parse({ ...this.current, ...request });
      this.#stored.set(next);
      this.ctx.events.emit('settings:changed', next);
      this.ctx.state.announce(); // the locale is part of the app state
      return next;
    },
  } satisfies Pick<BridgeHandlers, 'settings:get' | 'settings:set'>;
}
