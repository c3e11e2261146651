import { createCallSignals, createInfinityClientSignals, type InfinityClient } from '@pexip/infinity';
import { describe, expect, it, vi } from 'vitest';
import { CallSession, type CallSessionOptions } from './call-session';

/**
 * The session against the SDK's real signal objects and a scripted client: what the UI shows for
 * each thing the node can answer, and what the session asks of the SDK.
 */
function harness(options: Partial<CallSessionOptions> = {}) {
  const signals = createInfinityClientSignals(['onPinRequired', 'onParticipants', 'onError', 'onCallConnected'], { batchScheduleTimeoutMS: 0, batchBufferSize: 1 });
  const callSignals = createCallSignals(['onCallConnected']);
  const call = vi.fn(async (_opts: Parameters<InfinityClient['call']>[0]) => undefined);
  const restartCall = vi.fn(async () => undefined);
  const raiseHand = vi.fn(async () => undefined);
  const client = {
    call,
    restartCall,
    raiseHand,
    disconnect: vi.fn(async () => undefined),
    getMe: () => undefined,
    getParticipants: () => [],
  } as unknown as InfinityClient;
  const session = new CallSession({ alias: 'meet.1@vdx.test', displayName: 'Ida', createClient: () => ({ client, signals, callSignals }), ...options });
  return { session, signals, callSignals, call, restartCall, raiseHand };
}

describe('CallSession', () => {
  it('asks for a PIN when the node requires one, then retries with it', async () => {
    const h = harness();
    h.call.mockImplementationOnce(async () => {
      h.signals.onPinRequired.emit({ hasHostPin: true, hasGuestPin: true });
      return undefined;
    });
    await h.session.join();
    expect(h.session.getSnapshot().phase).toEqual({ kind: 'pin-required', hostPinRequired: true, guestPinRequired: true, invalid: false });
    await h.session.submitPin(' 5678 ');
    expect(h.call).toHaveBeenLastCalledWith(expect.objectContaining({ conferenceAlias: 'meet.1@vdx.test', displayName: 'Ida', pin: '5678' }));
  });

  it('says the PIN was wrong and asks again', async () => {
    const h = harness();
    h.call.mockImplementationOnce(async () => {
      h.signals.onPinRequired.emit({ hasHostPin: true, hasGuestPin: true });
      return undefined;
    });
    h.call.mockImplementationOnce(async () => {
      h.signals.onError.emit({ error: 'Invalid PIN', errorCode: '#pex100' as never });
      return undefined;
    });
    await h.session.join();
    await h.session.submitPin('0000');
    expect(h.session.getSnapshot().phase).toMatchObject({ kind: 'pin-required', invalid: true });
  });

  it('joins a guest without a PIN as "none" when only the host has one', async () => {
    const h = harness();
    await h.session.submitPin('');
    expect(h.call).toHaveBeenLastCalledWith(expect.objectContaining({ pin: 'none' }));
  });

  it('shows other errors from the node as a failure', async () => {
    const h = harness();
    h.call.mockImplementationOnce(async () => {
      h.signals.onError.emit({ error: 'Neither conference nor gateway found', errorCode: '#pex101' as never });
      return undefined;
    });
    await h.session.join();
    expect(h.session.getSnapshot().phase).toMatchObject({ kind: 'failed', message: 'Neither conference nor gateway found' });
  });

  it('restarts the call when the direct-media peer leaves, as the SDK expects', async () => {
    const stream = { getTracks: () => [] } as unknown as MediaStream;
    const h = harness({ localStream: stream });
    h.callSignals.onRemoteStream.emit(stream);
    expect(h.session.getSnapshot().remoteStream).toBe(stream);
    h.signals.onPeerDisconnect.emit();
    expect(h.session.getSnapshot().remoteStream).toBeUndefined();
    expect(h.restartCall).toHaveBeenCalledTimes(1);
    const opts = (h.restartCall.mock.calls[0] as unknown as [{ bandwidth: number; mediaStream: () => MediaStream }])[0];
    expect(opts.bandwidth).toBeGreaterThan(0);
    expect(opts.mediaStream()).toBe(stream);
  });

  it('moves between the waiting room and the conference as the node says', () => {
    const h = harness();
    h.signals.onServiceType.emit('waiting_room');
    expect(h.session.getSnapshot().phase.kind).toBe('waiting-room');
    h.signals.onServiceType.emit('conference');
    expect(h.session.getSnapshot().phase.kind).toBe('in-call');
  });

  it('keeps chat history with our own messages marked, and forwards quality figures', async () => {
    const h = harness();
    const qualities: unknown[] = [];
    h.session.onQuality((q) => qualities.push(q));
    h.signals.onMessage.emit({ at: new Date('2026-03-02T09:00:00Z'), id: 'x1', message: 'Hej', displayName: 'Bo', userId: 'u1' as never, direct: false });
    (h.session.client as unknown as { sendMessage: unknown }).sendMessage = vi.fn(async () => undefined);
    await h.session.sendChat('  Hej Bo  ');
    await h.session.sendChat('   ');
    expect(h.session.getSnapshot().chat.map((m) => [m.from, m.text, m.mine])).toEqual([
      ['Bo', 'Hej', false],
      ['Ida', 'Hej Bo', true],
    ]);
    h.callSignals.onRtcStats.emit({ inbound: { audio: { type: 'inbound-rtp', kind: 'audio', packetsLost: 0, packetsTransmitted: 10, jitter: 0.1, recentPercentageLost: 0 } }, outbound: {} });
    expect(qualities).toEqual([expect.objectContaining({ level: 'poor', jitterMs: 100 })]);
  });

  it('reports the end of the call once, whoever ends it', async () => {
    const h = harness();
    h.signals.onServiceType.emit('conference');
    await h.session.leave();
    h.signals.onDisconnected.emit({ error: 'Disconnected by another participant' as never, errorCode: '#pex0' as never });
    expect(h.session.getSnapshot().phase).toEqual({ kind: 'ended', reason: 'User initiated disconnect' });
  });
});
