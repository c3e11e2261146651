import { describe, expect, it } from 'vitest';
import { controllerContext } from '../test-support/controller-context';
import { ScreenMessagesController } from './screen-messages.controller';

describe('screen messages', () => {
  it('shows a message until it expires, and replays it to a UI that connects meanwhile', () => {
    const ctx = controllerContext('2026-03-02T09:00:00Z');
    const messages = new ScreenMessagesController(ctx);
    messages.show({ id: 'm1', text: 'Rummet rengøres kl. 12', severity: 'info', expiresAt: '2026-03-02T09:10:00Z' });
    expect(ctx.of('message:show')).toEqual([{ id: 'm1', text: 'Rummet rengøres kl. 12', severity: 'info', expiresAt: '2026-03-02T09:10:00Z' }]);
    expect(messages.replay()).toEqual([{ event: 'message:show', payload: expect.objectContaining({ id: 'm1' }) }]);
    ctx.clock.set('2026-03-02T09:09:59Z');
    messages.tick(ctx.clock.now());
    expect(ctx.of('message:hide')).toEqual([]);
    ctx.clock.set('2026-03-02T09:10:00Z');
    messages.tick(ctx.clock.now());
    expect(ctx.of('message:hide')).toEqual([{ id: 'm1' }]);
    expect(messages.replay()).toEqual([]);
  });

  it('never shows a message that has already expired, and hides a dismissed one once', async () => {
    const ctx = controllerContext('2026-03-02T09:00:00Z');
    const messages = new ScreenMessagesController(ctx);
    messages.show({ id: 'old', text: 'for sent', severity: 'warning', expiresAt: '2026-03-02T08:59:00Z' });
    expect(ctx.of('message:show')).toEqual([]);
    messages.show({ id: 'm2', text: 'Hej', severity: 'info', expiresAt: '2026-03-02T10:00:00Z' });
    await messages.handlers['message:dismiss']({ id: 'm2' });
    await messages.handlers['message:dismiss']({ id: 'm2' });
    expect(ctx.of('message:hide')).toEqual([{ id: 'm2' }]);
  });
});
