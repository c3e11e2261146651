import { describe, expect, it } from 'vitest';
import type { Settings } from '../../../src-shared/ipc/room-bridge.contract';
import { controllerContext } from '../test-support/controller-context';
import { RoomSettingsController } from './room-settings.controller';

describe('room settings', () => {
  it('merges a change into what is stored, keeps it, and announces it (the locale is part of the app state)', async () => {
    const ctx = controllerContext();
    const settings = new RoomSettingsController(ctx);
    expect(await settings.handlers['settings:get']()).toEqual({ cameraId: null, microphoneId: null, speakerId: null, locale: null });
    await settings.handlers['settings:set']({ cameraId: 'cam-2' });
    const next = await settings.handlers['settings:set']({ locale: 'en' });
    expect(next).toEqual({ cameraId: 'cam-2', microphoneId: null, speakerId: null, locale: 'en' });
    expect(new RoomSettingsController(ctx).current).toEqual(next);
    expect(ctx.of<Settings>('settings:changed').at(-1)).toEqual(next);
    expect(ctx.of('app:state-changed')).toHaveLength(2);
  });

  it('reads damaged stored settings as the defaults', () => {
    const ctx = controllerContext();
    ctx.settings.set('settings', { cameraId: 7 });
    expect(new RoomSettingsController(ctx).current).toEqual({ cameraId: null, microphoneId: null, speakerId: null, locale: null });
  });
});
