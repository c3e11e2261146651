import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

// js-yaml comes with electron-builder/electron-updater (no types of its own).
const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

describe('electron-builder.yml', () => {
  const config = load(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown>;

  it('is valid against electron-builder’s own schema', () => {
    const schema = JSON.parse(readFileSync('node_modules/app-builder-lib/scheme.json', 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const ok = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('rejects a broken config (the check can fail)', () => {
    const schema = JSON.parse(readFileSync('node_modules/app-builder-lib/scheme.json', 'utf8')) as object;
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate({ ...config, linux: { target: 42 }, notAnOption: true })).toBe(false);
  });

  it('builds our app for every platform and updates from our generic feed', () => {
    expect(config).toMatchObject({
      appId: 'dk.medcom.vdxroom',
      linux: { target: ['AppImage', 'deb'] },
      win: { target: ['nsis'] },
      mac: { target: ['dmg'] },
      publish: [{ provider: 'generic', url: '${env.VDX_PUBLIC_URL}/updates/${channel}' }],
      protocols: [{ schemes: ['vdxroom'] }],
    });
  });
});
