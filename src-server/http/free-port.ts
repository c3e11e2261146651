import { createServer } from 'node:net';

/**
 * A TCP port that is free on `host` right now: the OS picks one for a throw-away listener, which
 * is closed again before the port is returned.
 *
 * Why: "port 0" lets the OS choose only at `listen()` time, but the server names its own port
 * before that (public URL, token issuer, join links, the conference node URL devices are given),
 * and some callers must pass a port to another process up front (Chromium's debugging port).
 * Another process could take the port between the probe and the real `listen()`; on loopback in
 * tests and benchmarks that window is small enough to accept.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
