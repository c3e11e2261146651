import { z } from 'zod';

/**
 * The server's whole configuration, read once from the environment at start-up.
 * Every key is documented here and listed in `.env.example`; a bad value stops the
 * server with a message naming the first offending key.
 */
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** One external OpenID Provider people may sign in through (an entry of `VDX_OIDC_PROVIDERS`). */
const ExternalIdentityProvider = z.strictObject({
  /** Stable id in URLs and on user records: a-z 0-9 - _. */
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/),
  /** The button's text on the sign-in page (e.g. "Region Hovedstaden"). */
  name: z.string().min(1).max(80),
  /** Its issuer URL; its metadata is discovered from there. */
  issuer: z.url(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /** Names of the ID-token claims holding the e-mail, the organisation code and the meeting roles. */
  claims: z
    .strictObject({ email: z.string().min(1).default('email'), organisation: z.string().min(1).optional(), roles: z.string().min(1).optional() })
    .default({ email: 'email' }),
});
export type ExternalIdentityProvider = z.infer<typeof ExternalIdentityProvider>;

const ExternalIdentityProviders = z
  .string()
  .optional()
  .transform((v, ctx): ExternalIdentityProvider[] => {
    if (v === undefined || v.trim() === '') return [];
    let json: unknown;
    try {
      json = JSON.parse(v);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON list of {id, name, issuer, clientId, clientSecret, claims}' });
      return z.NEVER;
    }
    const parsed = z.array(ExternalIdentityProvider).max(20).safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      // Never echo the value: it holds client secrets.
      ctx.addIssue({ code: 'custom', message: `entry ${issue.path.join('.')}: ${issue.message}` });
      return z.NEVER;
    }
    if (new Set(parsed.data.map((p) => p.id)).size !== parsed.data.length) {
      ctx.addIssue({ code: 'custom', message: 'ids must be unique' });
      return z.NEVER;
    }
    return parsed.data;
  });

const ConfigSchema = z
  .object({
    /** Interface to listen on. */
    VDX_HOST: z.string().min(1).default('127.0.0.1'),
    /** TCP port to listen on (0 picks a free one). */
    VDX_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    /** `sqlite:<path>` (default `sqlite:var/vdx.db`, `sqlite::memory:` for throwaway) or a `postgres://` URL. */
    VDX_DB: z
      .string()
      .default('sqlite:var/vdx.db')
      .refine((v) => v.startsWith('sqlite:') || /^postgres(ql)?:\/\//.test(v), {
        message: 'must be sqlite:<path> or a postgres:// URL',
      }),
    /** The URL people and devices reach this server at; defaults to http://HOST:PORT. */
    VDX_PUBLIC_URL: optionalString.pipe(z.url().optional()),
    /** PEM certificate and key files; both set → the server speaks HTTPS. */
    VDX_TLS_CERT: optionalString,
    VDX_TLS_KEY: optionalString,
    /** Bootstrap API client (all five meeting roles + management-admin in the bootstrap organisation). */
    VDX_ADMIN_CLIENT_ID: optionalString,
    VDX_ADMIN_CLIENT_SECRET: optionalString,
    /** Code of the organisation created at first start. */
    VDX_BOOTSTRAP_ORGANISATION: z.string().min(1).max(64).default('vdx'),
    /** E-mail the bootstrap admin client books as. */
    VDX_ADMIN_EMAIL: z.email().default('admin@localhost'),
    /** Base of meeting short links; the meeting's shortId is appended. Defaults to PUBLIC_URL + /join/. */
    VDX_SHORTLINK_BASE: optionalString,
    /**
     * Template of a meeting's `portalLink`. Placeholders: {uri} {uriWithDomain} {domain} {hostPin}
     * {guestPin} {shortId} {startDate} {startTime}. Defaults to PUBLIC_URL + /join?alias={uriWithDomain}.
     */
    VDX_PORTAL_LINK_TEMPLATE: optionalString,
    /**
     * Browser origins allowed to call the booking API (/videoapi/), comma-separated exact origins
     * such as `https://booking.region.dk`; empty = none (preflights from anywhere are refused).
     */
    /** The bearer token Prometheus sends to `/metrics`; unset = loopback callers only. */
    VDX_METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
    VDX_CORS_ORIGINS: optionalString.pipe(
      z
        .string()
        .optional()
        .transform((v) => (v ? v.split(',').map((o) => o.trim()).filter(Boolean) : []))
        .refine((list) => list.every((o) => /^https?:\/\/[^/\s]+$/.test(o)), {
          message: 'must be comma-separated origins such as https://booking.region.dk (scheme and host, no path)',
        }),
    ),
    /** Trust access tokens from an external IdP (e.g. Keycloak): its JWKS URL and issuer. */
    VDX_JWKS_URL: optionalString.pipe(z.url().optional()),
    VDX_ISSUER: optionalString,
    /** Built web UIs (room app, guest page, portal) to serve; default `dist/renderer/` of this checkout. */
    VDX_WEB_ROOT: optionalString,
    /** Directory uploaded release artifacts are stored in (served under /updates/{channel}/). */
    VDX_ARTIFACTS_DIR: z.string().min(1).default('var/artifacts'),
    /** Largest release artifact upload accepted, in bytes (default 1 GiB). */
    VDX_ARTIFACT_MAX_BYTES: z.coerce.number().int().positive().default(1024 * 1024 * 1024),
    /** Conference node: a participant whose event stream stays closed this long (ms) is removed. */
    VDX_CONFERENCE_STREAM_GRACE_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
    /** Conference node: how often (ms) the embedded provisioner polls the booking queues. */
    VDX_PROVISION_POLL_MS: z.coerce.number().int().min(100).max(3_600_000).default(5_000),
    /** Device fleet: seconds between device heartbeats (a device is offline after 3 missed). */
    VDX_DEVICE_HEARTBEAT_SECONDS: z.coerce.number().int().min(5).max(3600).default(30),
    /** Device fleet: days of heartbeat history kept (older rows are pruned). */
    VDX_DEVICE_HEALTH_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    /** Device fleet: default validity of a new activation code, in days. */
    VDX_ACTIVATION_CODE_DAYS: z.coerce.number().int().min(1).max(90).default(7),
    /**
     * External OpenID Providers people may sign in through (a region's Keycloak, Entra ID, ...):
     * a JSON list of `{id, name, issuer, clientId, clientSecret, claims: {email, organisation, roles}}`.
     * Register `PUBLIC_URL/oidc/federated/<id>/callback` as the redirect URI at each.
     */
    VDX_OIDC_PROVIDERS: ExternalIdentityProviders,
    /** People's sign-in: a provider session unused this long (minutes) ends (no page renewing it). */
    VDX_STAFF_SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(60),
    /** People's sign-in: the longest a sign-in lasts (hours), however active; then sign in again. */
    VDX_STAFF_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 14).default(10),
    /** People's access tokens live this long (minutes); pages renew them silently. */
    VDX_STAFF_ACCESS_TOKEN_MINUTES: z.coerce.number().int().min(1).max(60).default(15),
    /**
     * Where text messages go (README "SMS Video"): `outbox` (default) keeps them in the database's
     * outbox, which management reads at GET /management/v1/sms-outbox and nothing leaves the server;
     * `gatewayapi` sends them through GatewayAPI's REST API (needs VDX_SMS_GATEWAY_TOKEN).
     */
    VDX_SMS_PROVIDER: z.enum(['outbox', 'gatewayapi']).default('outbox'),
    /** The SMS gateway's send endpoint (default GatewayAPI's `https://gatewayapi.com/rest/mtsms`). */
    VDX_SMS_GATEWAY_URL: optionalString.pipe(z.url().optional()),
    /** The SMS gateway's API token (secret). */
    VDX_SMS_GATEWAY_TOKEN: optionalString,
    /** Shared secret delivery-report webhooks are signed with (secret, at least 16 characters). */
    VDX_SMS_WEBHOOK_SECRET: optionalString,
    /** Text messages one person or API client may send an hour (default 30). */
    VDX_SMS_PERSON_HOURLY_LIMIT: z.coerce.number().int().min(1).max(100_000).default(30),
    /** Text messages one organisation may send an hour, all senders together (default 1000). */
    VDX_SMS_ORGANISATION_HOURLY_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(1000),
    /** SMTP server invitations are sent through: `smtp://user:pass@host:587` or `smtps://...`; empty = no e-mail. */
    VDX_SMTP_URL: optionalString.pipe(
      z
        .string()
        .optional()
        .refine((v) => v === undefined || /^smtps?:\/\/[^\s/]+/.test(v), { message: 'must be an smtp:// or smtps:// URL' }),
    ),
    /** The From of invitation e-mails: an address, or `Name <address>`. */
    VDX_MAIL_FROM: z
      .string()
      .default('VDX Video <no-reply@localhost>')
      // A plain local-part@host check: `no-reply@localhost`, the one-machine default, has no TLD.
      .refine((v) => /^[^\s@<>]+@[^\s@<>]+$/.test(/<([^>]+)>\s*$/.exec(v.trim())?.[1] ?? v.trim()), {
        message: 'must be an e-mail address or Name <address>',
      }),
    /** Log level: fatal, error, warn, info, debug, trace, silent. */
    VDX_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /**
     * Which reverse proxies may state the client address in X-Forwarded-For: `false` (default:
     * none — the socket address counts), `true` (any; only behind a proxy that overwrites the
     * header), a hop count, or a comma-separated list of proxy addresses/CIDRs. The PIN and
     * login rate limits key on this address, so trusting a forgeable header would void them.
     */
    VDX_TRUST_PROXY: z
      .string()
      .default('false')
      .transform((v, ctx): boolean | number | string[] => {
        const t = v.trim();
        if (t === '' || t === 'false') return false;
        if (t === 'true') return true;
        if (/^\d+$/.test(t)) return Number(t);
        const list = t.split(',').map((x) => x.trim()).filter(Boolean);
        if (list.every((x) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(x))) return list;
        ctx.addIssue({ code: 'custom', message: 'must be false, true, a hop count or a list of addresses/CIDRs' });
        return z.NEVER;
      }),
  })
  .superRefine((c, ctx) => {
    if (c.VDX_SMS_PROVIDER === 'gatewayapi' && !c.VDX_SMS_GATEWAY_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['VDX_SMS_GATEWAY_TOKEN'], message: 'is needed when VDX_SMS_PROVIDER is gatewayapi' });
    }
    if (c.VDX_SMS_WEBHOOK_SECRET && c.VDX_SMS_WEBHOOK_SECRET.length < 16) {
      ctx.addIssue({ code: 'custom', path: ['VDX_SMS_WEBHOOK_SECRET'], message: 'must be at least 16 characters' });
    }
    if (Boolean(c.VDX_TLS_CERT) !== Boolean(c.VDX_TLS_KEY)) {
      ctx.addIssue({ code: 'custom', path: ['VDX_TLS_CERT'], message: 'VDX_TLS_CERT and VDX_TLS_KEY go together' });
    }
    if (Boolean(c.VDX_ADMIN_CLIENT_ID) !== Boolean(c.VDX_ADMIN_CLIENT_SECRET)) {
      ctx.addIssue({
        code: 'custom',
        path: ['VDX_ADMIN_CLIENT_ID'],
        message: 'VDX_ADMIN_CLIENT_ID and VDX_ADMIN_CLIENT_SECRET go together',
      });
    }
    if (c.VDX_ADMIN_CLIENT_SECRET && c.VDX_ADMIN_CLIENT_SECRET.length < 16) {
      ctx.addIssue({ code: 'custom', path: ['VDX_ADMIN_CLIENT_SECRET'], message: 'must be at least 16 characters' });
    }
    if (Boolean(c.VDX_JWKS_URL) !== Boolean(c.VDX_ISSUER)) {
      ctx.addIssue({ code: 'custom', path: ['VDX_JWKS_URL'], message: 'VDX_JWKS_URL and VDX_ISSUER go together' });
    }
  });

export interface ServerConfig {
  host: string;
  port: number;
  db: string;
  /** Always without a trailing slash. */
  publicUrl: string;
  tls?: { certFile: string; keyFile: string };
  adminClient?: { clientId: string; clientSecret: string };
  bootstrapOrganisation: string;
  adminEmail: string;
  shortLinkBase: string;
  portalLinkTemplate: string;
  /** Exact browser origins allowed to call the booking API. */
  corsOrigins: string[];
  /** Bearer token for `/metrics`; undefined: loopback callers only. */
  metricsToken?: string;
  externalIssuer?: { jwksUrl: string; issuer: string };
  logLevel: string;
  trustProxy: boolean | number | string[];
  /** Built web UIs; undefined = `dist/renderer/` of this checkout. */
  webRoot?: string;
  /** Release artifacts (updates capability). */
  artifactsDir: string;
  artifactMaxBytes: number;
  /** Conference node timers (ms). */
  conferenceStreamGraceMs: number;
  provisionPollMs: number;
  /** People's sign-in (the embedded OpenID Provider). */
  staffIdentity: {
    externalProviders: ExternalIdentityProvider[];
    sessionIdleMinutes: number;
    sessionMaxHours: number;
    accessTokenMinutes: number;
  };
  /** Text messages (SMS Video, invitations): which gateway, its secrets, the sending limits. */
  sms: SmsConfig;
  /** E-mail invitations: SMTP server (undefined: no e-mail is sent) and sender. */
  mail: { smtpUrl?: string; from: string };
  /** Device fleet tunables. */
  fleet: { heartbeatIntervalSeconds: number; healthRetentionDays: number; activationCodeDays: number };
}

export interface SmsConfig {
  provider: 'outbox' | 'gatewayapi';
  gatewayUrl: string;
  /** Secret: never logged. */
  gatewayToken?: string;
  /** Secret: never logged. */
  webhookSecret?: string;
  personHourlyLimit: number;
  organisationHourlyLimit: number;
}

/** GatewayAPI's documented send endpoint (REST, JSON). */
export const GATEWAYAPI_SEND_URL = 'https://gatewayapi.com/rest/mtsms';

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError naming the first bad key. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`Invalid configuration: ${key}: ${issue.message}`);
  }
  const c = parsed.data;
  const scheme = c.VDX_TLS_CERT ? 'https' : 'http';
  const publicUrl = (c.VDX_PUBLIC_URL ?? `${scheme}://${c.VDX_HOST}:${c.VDX_PORT}`).replace(/\/+$/, '');
  return {
    host: c.VDX_HOST,
    port: c.VDX_PORT,
    db: c.VDX_DB,
    publicUrl,
    tls: c.VDX_TLS_CERT && c.VDX_TLS_KEY ? { certFile: c.VDX_TLS_CERT, keyFile: c.VDX_TLS_KEY } : undefined,
    adminClient:
      c.VDX_ADMIN_CLIENT_ID && c.VDX_ADMIN_CLIENT_SECRET
        ? { clientId: c.VDX_ADMIN_CLIENT_ID, clientSecret: c.VDX_ADMIN_CLIENT_SECRET }
        : undefined,
    bootstrapOrganisation: c.VDX_BOOTSTRAP_ORGANISATION,
    adminEmail: c.VDX_ADMIN_EMAIL,
    shortLinkBase: c.VDX_SHORTLINK_BASE ?? `${publicUrl}/join/`,
    portalLinkTemplate: c.VDX_PORTAL_LINK_TEMPLATE ?? `${publicUrl}/join?alias={uriWithDomain}`,
    corsOrigins: c.VDX_CORS_ORIGINS,
    metricsToken: c.VDX_METRICS_TOKEN,
    externalIssuer: c.VDX_JWKS_URL && c.VDX_ISSUER ? { jwksUrl: c.VDX_JWKS_URL, issuer: c.VDX_ISSUER } : undefined,
    logLevel: c.VDX_LOG_LEVEL,
    trustProxy: c.VDX_TRUST_PROXY,
    webRoot: c.VDX_WEB_ROOT,
    artifactsDir: c.VDX_ARTIFACTS_DIR,
    artifactMaxBytes: c.VDX_ARTIFACT_MAX_BYTES,
    conferenceStreamGraceMs: c.VDX_CONFERENCE_STREAM_GRACE_MS,
    provisionPollMs: c.VDX_PROVISION_POLL_MS,
    staffIdentity: {
      externalProviders: c.VDX_OIDC_PROVIDERS,
      sessionIdleMinutes: c.VDX_STAFF_SESSION_IDLE_MINUTES,
      sessionMaxHours: c.VDX_STAFF_SESSION_MAX_HOURS,
      accessTokenMinutes: c.VDX_STAFF_ACCESS_TOKEN_MINUTES,
    },
    sms: {
      provider: c.VDX_SMS_PROVIDER,
      gatewayUrl: c.VDX_SMS_GATEWAY_URL ?? GATEWAYAPI_SEND_URL,
      gatewayToken: c.VDX_SMS_GATEWAY_TOKEN,
      webhookSecret: c.VDX_SMS_WEBHOOK_SECRET,
      personHourlyLimit: c.VDX_SMS_PERSON_HOURLY_LIMIT,
      organisationHourlyLimit: c.VDX_SMS_ORGANISATION_HOURLY_LIMIT,
    },
    mail: { smtpUrl: c.VDX_SMTP_URL, from: c.VDX_MAIL_FROM.trim() },
    fleet: {
      heartbeatIntervalSeconds: c.VDX_DEVICE_HEARTBEAT_SECONDS,
      healthRetentionDays: c.VDX_DEVICE_HEALTH_RETENTION_DAYS,
      activationCodeDays: c.VDX_ACTIVATION_CODE_DAYS,
    },
  };
}
