/**
 * Keeps track of the page's RTCPeerConnections so we can read `getStats()` figures the SDK's
 * normalised stats leave out (video freezes, decoded frames). The SDK creates its PeerConnection
 * internally and does not expose it, so we register every instance at construction: a subclass
 * installed once as `window.RTCPeerConnection`, before the SDK creates any connection. Behaviour is
 * unchanged; we only remember the instance until it is closed.
 */
const live = new Set<RTCPeerConnection>();
let installed = false;

export function installPeerConnectionRegistry(): void {
  if (installed || typeof window === 'undefined' || typeof window.RTCPeerConnection !== 'function') return;
  installed = true;
  const Native = window.RTCPeerConnection;
  class RegisteredPeerConnection extends Native {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      live.add(this);
    }
    override close(): void {
      live.delete(this);
      super.close();
    }
  }
  window.RTCPeerConnection = RegisteredPeerConnection;
}

/** Inbound video health across the page's open connections. */
export interface InboundVideoHealth {
  framesDecoded: number;
  freezeCount: number;
  /** Seconds. */
  totalFreezesDuration: number;
}

export async function inboundVideoHealth(): Promise<InboundVideoHealth> {
  const health: InboundVideoHealth = { framesDecoded: 0, freezeCount: 0, totalFreezesDuration: 0 };
  for (const pc of [...live]) {
    if (pc.connectionState === 'closed') {
      live.delete(pc);
      continue;
    }
    const report = await pc.getStats().catch(() => undefined);
    report?.forEach((s: RTCStats & Record<string, unknown>) => {
      if (s.type !== 'inbound-rtp' || s.kind !== 'video') return;
      health.framesDecoded += Number(s.framesDecoded ?? 0);
      health.freezeCount += Number(s.freezeCount ?? 0);
      health.totalFreezesDuration += Number(s.totalFreezesDuration ?? 0);
    });
  }
  return health;
}
