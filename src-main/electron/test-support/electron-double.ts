/**
 * A small test double for the parts of the `electron` module the shell uses, installed with
 * `vi.mock('electron', ...)`. Each piece is checked against Electron's own types
 * (`node_modules/electron/electron.d.ts`) with `satisfies`, so the shell cannot drift from the real
 * API unnoticed. It proves wiring and contracts — not real sandboxing or kiosk behaviour.
 */
import { EventEmitter } from 'node:events';
import type * as Electron from 'electron';

type Handler = (...args: never[]) => unknown;

/** Records `on`/`once` listeners so tests can fire Electron events. */
class Emitter extends EventEmitter {
  fire(event: string, ...args: unknown[]): unknown[] {
    const results: unknown[] = [];
    for (const l of this.listeners(event)) results.push((l as (...a: unknown[]) => unknown)(...args));
    return results;
  }
}

export class FakeWebContents extends Emitter {
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  url = '';
  reloads = 0;
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | null = null;
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return false;
  }
  getURL(): string {
    return this.url;
  }
  reload(): void {
    this.reloads++;
  }
  reloadIgnoringCache(): void {
    this.reloads++;
  }
}
// The subset of WebContents the shell calls must exist with Electron's signatures.
({}) as FakeWebContents satisfies Pick<Electron.WebContents, 'send' | 'isDestroyed' | 'getURL' | 'reload' | 'reloadIgnoringCache'>;

export class FakeBrowserWindow extends Emitter {
  static readonly instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly options: Electron.BrowserWindowConstructorOptions;
  loaded: string | null = null;
  loads = 0;
  shown = false;
  constructor(options: Electron.BrowserWindowConstructorOptions = {}) {
    super();
    this.options = options;
    FakeBrowserWindow.instances.push(this);
  }
  async loadURL(url: string): Promise<void> {
    this.loaded = url;
    this.loads++;
    this.webContents.url = url;
  }
  show(): void {
    this.shown = true;
  }
  isDestroyed(): boolean {
    return false;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  focus(): void {}
}
({}) as FakeBrowserWindow satisfies Pick<Electron.BrowserWindow, 'loadURL' | 'show' | 'isDestroyed' | 'isMinimized' | 'restore' | 'focus'>;

export class FakeIpcMain {
  readonly handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: Electron.IpcMainInvokeEvent, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener as (event: unknown, ...args: unknown[]) => unknown);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** Calls a handler as a page would through `ipcRenderer.invoke`. */
  invoke(channel: string, sender: { sender: unknown; senderFrame: { url: string; parent: unknown } | null }, ...args: unknown[]): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    return Promise.resolve(h(sender, ...args));
  }
}
({}) as FakeIpcMain satisfies Pick<Electron.IpcMain, 'handle' | 'removeHandler'>;

export class FakeSession {
  permissionRequestHandler: Handler | null = null;
  permissionCheckHandler: Handler | null = null;
  displayMediaHandler: Handler | null = null;
  headersListener: { filter: unknown; listener: Handler } | null = null;
  readonly webRequest = {
    onHeadersReceived: (filter: unknown, listener: Handler) => {
      this.headersListener = { filter, listener };
    },
  };
  setPermissionRequestHandler(handler: Handler | null): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Handler | null): void {
    this.permissionCheckHandler = handler;
  }
  setDisplayMediaRequestHandler(handler: Handler | null): void {
    this.displayMediaHandler = handler;
  }
}

export function createElectronDouble() {
  const app = Object.assign(new Emitter(), {
    quitCalls: 0,
    loginItem: null as Electron.Settings | null,
    protocols: [] as string[],
    requestSingleInstanceLock: () => true,
    isDefaultProtocolClient: (p: string) => app.protocols.includes(p),
    setAsDefaultProtocolClient: (p: string) => {
      app.protocols.push(p);
      return true;
    },
    whenReady: () => Promise.resolve(),
    getPath: (_name: 'userData') => '/nonexistent',
    getVersion: () => '0.1.0',
    quit: () => {
      app.quitCalls++;
    },
    exit: (_code?: number) => {},
    relaunch: () => {},
    setLoginItemSettings: (s: Electron.Settings) => {
      app.loginItem = s;
    },
  });
  app satisfies Pick<Electron.App, 'requestSingleInstanceLock' | 'isDefaultProtocolClient' | 'setAsDefaultProtocolClient' | 'whenReady' | 'getVersion' | 'quit' | 'exit' | 'relaunch' | 'setLoginItemSettings'>;

  const blockers = { active: new Set<number>(), next: 1 };
  const powerSaveBlocker = {
    start: (_type: 'prevent-app-suspension' | 'prevent-display-sleep') => {
      const id = blockers.next++;
      blockers.active.add(id);
      return id;
    },
    stop: (id: number) => blockers.active.delete(id),
    isStarted: (id: number) => blockers.active.has(id),
  } satisfies Electron.PowerSaveBlocker;

  const menu = { current: undefined as unknown };
  const session = { defaultSession: new FakeSession() };
  const ipcMain = new FakeIpcMain();
  const desktopCapturer = {
    getSources: async (_o: Electron.SourcesOptions) => [{ id: 'screen:0:0', name: 'Entire screen' }, { id: 'window:1:0', name: 'Editor' }],
  };
  return {
    app,
    BrowserWindow: FakeBrowserWindow,
    Menu: { setApplicationMenu: (m: unknown) => void (menu.current = m) },
    ipcMain,
    session,
    powerSaveBlocker,
    desktopCapturer,
    // renderer side (preload)
    contextBridge: {
      exposed: new Map<string, unknown>(),
      exposeInMainWorld(key: string, api: unknown) {
        this.exposed.set(key, api);
      },
    },
    ipcRenderer: Object.assign(new Emitter(), {
      invoked: [] as Array<{ channel: string; args: unknown[] }>,
      answer: (async () => ({ ok: true, response: { ok: true } })) as (channel: string, ...args: unknown[]) => Promise<unknown>,
      invoke(channel: string, ...args: unknown[]) {
        this.invoked.push({ channel, args });
        return this.answer(channel, ...args);
      },
    }),
    blockers,
    menu,
  };
}

export type ElectronDouble = ReturnType<typeof createElectronDouble>;
