/**
 * Opens a link in the person's own browser from Node (the Chromium shell; Electron uses
 * `shell.openExternal`): `VDX_BROWSER` when set (the URL is its one argument), else the OS's
 * opener. The program is started detached and not waited for — a browser lives its own life.
 */
import { spawn } from 'node:child_process';
import type { ExternalBrowser } from './platform';

function opener(url: string): [string, string[]] {
  if (process.platform === 'darwin') return ['open', [url]];
  // `start` would read the URL's `&` as a command separator; the URL protocol handler does not.
  if (process.platform === 'win32') return ['rundll32', ['url.dll,FileProtocolHandler', url]];
  return ['xdg-open', [url]];
}

export function systemBrowser(command: string | null): ExternalBrowser {
  return {
    open: (url) =>
      new Promise((resolve, reject) => {
        if (!/^https?:\/\//.test(url)) return reject(new Error('only http(s) links are opened'));
        const [program, args] = command ? [command, [url]] : opener(url);
        const child = spawn(program, args, { stdio: 'ignore', detached: true });
        child.once('error', reject);
        child.once('spawn', () => {
          child.unref();
          resolve();
        });
      }),
  };
}
