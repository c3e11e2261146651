import { describe, expect, it } from 'vitest';
import { BridgeErrorCode } from '../../src-shared/ipc/room-bridge.contract';
import { translate } from '../i18n/translate';
import { bridgeErrorText } from './bridge-error';

const da = (key: Parameters<typeof translate>[1]) => translate('da', key);
const en = (key: Parameters<typeof translate>[1]) => translate('en', key);

describe('bridge error texts', () => {
  it('show the UI’s own text for the code, in the UI’s language, never the agent’s message', () => {
    const err = { code: 'busy', message: 'Rummet er allerede i et opkald (agentens tekst).' };
    expect(bridgeErrorText(en, err)).toBe('The room is already in a call.');
    expect(bridgeErrorText(da, err)).toBe('Rummet er allerede i et opkald.');
    expect(bridgeErrorText(en, { code: 'offline', message: 'Serveren kan ikke nås.' })).toBe('The server cannot be reached. Try again shortly.');
  });

  it('have a distinct text for every code in both languages', () => {
    for (const t of [da, en]) {
      const texts = BridgeErrorCode.options.map((code) => bridgeErrorText(t, { code, message: '' }));
      expect(new Set(texts).size).toBe(BridgeErrorCode.options.length);
      expect(texts.filter((text) => text.startsWith('room.error.'))).toEqual([]);
    }
  });

  it('treat anything that is not a bridge error as an internal one', () => {
    expect(bridgeErrorText(en, new Error('boom'))).toBe('Something went wrong in the app. Try again.');
    expect(bridgeErrorText(en, { code: 'nonsense', message: 'x' })).toBe('Something went wrong in the app. Try again.');
  });
});
