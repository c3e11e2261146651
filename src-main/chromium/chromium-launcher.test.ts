import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resetProfile } from './chromium-launcher';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('Chromium profile reset before each launch', () => {
  it("wipes cookies, storage and HTTP cache but keeps the room UI's service worker and its cache", () => {
    const profile = mkdtempSync(join(tmpdir(), 'vdx-profile-'));
    dirs.push(profile);
    const file = (rel: string) => {
      mkdirSync(join(profile, rel, '..'), { recursive: true });
      writeFileSync(join(profile, rel), 'x');
    };
    file('Local State');
    file('Default/Cookies');
    file('Default/Local Storage/leveldb/000003.log');
    file('Default/Cache/Cache_Data/index');
    file('Default/Service Worker/Database/CURRENT');
    file('Default/Service Worker/CacheStorage/abc/index');

    resetProfile(profile);

    expect(readdirSync(profile)).toEqual(['Default']);
    expect(readdirSync(join(profile, 'Default'))).toEqual(['Service Worker']);
    expect(existsSync(join(profile, 'Default/Service Worker/Database/CURRENT'))).toBe(true);
    expect(existsSync(join(profile, 'Default/Service Worker/CacheStorage/abc/index'))).toBe(true);
  });

  it('creates a missing profile directory', () => {
    const root = mkdtempSync(join(tmpdir(), 'vdx-profile-'));
    dirs.push(root);
    resetProfile(join(root, 'chromium-profile'));
    expect(readdirSync(join(root, 'chromium-profile'))).toEqual([]);
  });
});
