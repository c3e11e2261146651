import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APP_CONFIG_KEYS, AppConfigError, parseAppConfig } from './app-config';

describe('room app configuration', () => {
  it('starts with the documented defaults when nothing is set', () => {
    expect(parseAppConfig({})).toEqual({
      serverUrl: null, activationCode: null, appDataDir: null, secretStore: null, earlyJoinSeconds: 0, adminExitPin: null,
      autoJoin: null, uiRetryMs: 30_000, logLevel: 'info', logEcho: false, chromiumDebugPort: null, fakeMedia: false,
      mode: null, browser: null, appVersion: null, kioskLock: true, autoStart: true,
    });
  });

  it('reads every key, normalising the server URL and the activation code', () => {
    const config = parseAppConfig({
      VDX_SERVER_URL: 'https://vdx.example.dk/', VDX_ACTIVATION_CODE: '7kqm-3xwp-ht9c', VDX_EARLY_JOIN_SECONDS: '90',
      VDX_AUTO_JOIN: '0', VDX_UI_RETRY_SECONDS: '5', VDX_LOG_LEVEL: 'debug', VDX_CHROMIUM_DEBUG_PORT: '9222',
      VDX_FAKE_MEDIA: '1', VDX_KIOSK_LOCK: '0', VDX_MODE: 'desktop', VDX_SECRET_STORE: 'file', VDX_ADMIN_EXIT_PIN: '2468',
    });
    expect(config).toMatchObject({
      serverUrl: 'https://vdx.example.dk', activationCode: '7KQM3XWPHT9C', earlyJoinSeconds: 90, autoJoin: false, uiRetryMs: 5000,
      logLevel: 'debug', chromiumDebugPort: 9222, fakeMedia: true, kioskLock: false, mode: 'desktop', secretStore: 'file', adminExitPin: '2468',
    });
  });

  it('treats empty values as unset and ignores the server’s keys', () => {
    expect(parseAppConfig({ VDX_EARLY_JOIN_SECONDS: '', VDX_ADMIN_EXIT_PIN: ' ', VDX_PORT: 'not-mine', VDX_DB: 'x', VDX_LOG_LEVEL: 'silent' })).toMatchObject({
      earlyJoinSeconds: 0, adminExitPin: null, logLevel: 'info',
    });
  });

  it.each([
    ['VDX_EARLY_JOIN_SECONDS', 'soon'],
    ['VDX_EARLY_JOIN_SECONDS', '-5'],
    ['VDX_EARLY_JOIN_SECONDS', '2.5'],
    ['VDX_UI_RETRY_SECONDS', '0'],
    ['VDX_SERVER_URL', 'vdx.example.dk'],
    ['VDX_AUTO_JOIN', 'yes'],
    ['VDX_SECRET_STORE', 'disk'],
    ['VDX_CHROMIUM_DEBUG_PORT', '70000'],
    ['VDX_MODE', 'tablet'],
    ['VDX_KIOSK_LOCK', 'false'],
    ['VDX_LOG_LEVEL', 'loud'],
  ])('refuses %s=%s, naming the key and the value', (key, value) => {
    expect(() => parseAppConfig({ [key]: value })).toThrow(AppConfigError);
    expect(() => parseAppConfig({ [key]: value })).toThrow(new RegExp(`^Invalid room app configuration: ${key}: .*\\(got "${value.replace('.', '\\.')}"\\)$`));
  });

  it('never repeats the admin PIN or the activation code in its message', () => {
    const refuse = (env: Record<string, unknown>) => () => parseAppConfig(env as Record<string, string>);
    expect(refuse({ VDX_ADMIN_EXIT_PIN: 2468 })).toThrow(/^Invalid room app configuration: VDX_ADMIN_EXIT_PIN: [^"]*$/);
    expect(refuse({ VDX_ACTIVATION_CODE: 1234 })).toThrow(/^Invalid room app configuration: VDX_ACTIVATION_CODE: [^"]*$/);
  });

  it('has every key it reads in .env.example and in README "Room app"', () => {
    const example = readFileSync('.env.example', 'utf8');
    const readme = readFileSync('README.md', 'utf8');
    const roomApp = readme.slice(readme.indexOf('## Room app'), readme.indexOf('\n## ', readme.indexOf('## Room app') + 1));
    expect(APP_CONFIG_KEYS.filter((key) => !new RegExp(`^${key}=`, 'm').test(example))).toEqual([]);
    expect(APP_CONFIG_KEYS.filter((key) => !roomApp.includes(`\`${key}\``))).toEqual([]);
  });
});
