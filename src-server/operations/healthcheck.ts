import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

/**
 * The parts MedCom's VDX health check reports (`KvalitetsIT/medcom-vdx-healthcheck`, its
 * `healthcheck.yaml`): `sts`, `video-api`, `short-link` and `sms` always, `video-api-access-token`
 * where it applies. Here `sts` is our token service (the OpenID metadata and its JWKS).
 */
export const HEALTH_PARTS = ['sts', 'video-api', 'video-api-access-token', 'short-link', 'sms'] as const;
export type HealthPart = (typeof HEALTH_PARTS)[number];

const PartStatus = z.object({
  status: z.boolean(),
  message: z.string().optional(),
  /** Milliseconds the check took (an integer, as the health check's schema has it). */
  'response-time': z.number().int(),
});
export const HealthcheckResponse = z.object(Object.fromEntries(HEALTH_PARTS.map((p) => [p, PartStatus])) as Record<HealthPart, typeof PartStatus>);

/**
 * One part's check: resolves when the part works, throws (or rejects) with a short reason when it
 * does not. Reasons are shown to whoever calls the public endpoint: no internals, no secrets.
 */
export type HealthProbe = () => Promise<void>;

/** A check that does not answer within this time counts as failed (a monitor must not hang). */
const PROBE_TIMEOUT_MS = 5_000;

/**
 * `GET /v1/healthcheck`: every part checked at once, each with its time; always 200 with the
 * object (the monitor reads each `status`), as MedCom's health check answers.
 */
export function healthcheckRoutes(app: FastifyInstance, probes: Record<HealthPart, HealthProbe>, options: { timeoutMs?: number } = {}): void {
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  app.get(
    '/v1/healthcheck',
    { schema: { tags: ['operations'], summary: 'Health of the booking API, token service, short links and SMS (MedCom VDX health-check shape)', response: { 200: HealthcheckResponse } } },
    async () => {
      const results = await Promise.all(HEALTH_PARTS.map(async (part) => [part, await timed(probes[part], timeoutMs)] as const));
      return Object.fromEntries(results);
    },
  );
}

async function timed(probe: HealthProbe, timeoutMs: number): Promise<z.infer<typeof PartStatus>> {
  const result = await runProbe(probe, timeoutMs);
  return { status: result.ok, ...(result.message === undefined ? {} : { message: result.message }), 'response-time': result.ms };
}

/** Runs one probe with a deadline: whether it passed, why not, and how long it took (whole ms). */
export async function runProbe(probe: HealthProbe, timeoutMs: number): Promise<{ ok: boolean; message?: string; ms: number }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([probe(), timeout]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (err) {
    const message = err instanceof Error && err.message ? err.message : 'failed';
    return { ok: false, message, ms: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}
