import { randomBytes } from 'node:crypto';

/**
 * Requests the server sends itself (the health check's and the uptime prober's probes, through
 * `app.inject`) carry this header with a value drawn at start-up, so they stay out of the request
 * log and the latency metrics. Nobody outside the process knows the value, so a caller cannot hide
 * its own requests from the log by sending the header.
 */
const HEADER = 'x-vdx-internal-probe';
const VALUE = randomBytes(16).toString('base64url');

export const internalRequestHeaders: Readonly<Record<string, string>> = Object.freeze({ [HEADER]: VALUE });

export function isInternalRequest(req: { headers: Record<string, string | string[] | undefined> }): boolean {
  return req.headers[HEADER] === VALUE;
}
