import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('server configuration', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      db: 'sqlite:var/vdx.db',
      publicUrl: 'http://127.0.0.1:8080',
      bootstrapOrganisation: 'vdx',
      adminEmail: 'admin@localhost',
      shortLinkBase: 'http://127.0.0.1:8080/join/',
      trustProxy: false,
    });
    expect(c.adminClient).toBeUndefined();
    expect(c.tls).toBeUndefined();
  });

  it('names the first bad key in its message', () => {
    expect(() => loadConfig({ VDX_PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ VDX_PORT: '70000' })).toThrow(/VDX_PORT/);
    expect(() => loadConfig({ VDX_DB: 'mysql://x' })).toThrow(/VDX_DB: must be sqlite/);
    expect(() => loadConfig({ VDX_PUBLIC_URL: 'not a url' })).toThrow(/VDX_PUBLIC_URL/);
  });

  it('refuses half-configured pairs', () => {
    expect(() => loadConfig({ VDX_TLS_CERT: '/c.pem' })).toThrow(/VDX_TLS_CERT and VDX_TLS_KEY/);
    expect(() => loadConfig({ VDX_ADMIN_CLIENT_ID: 'a' })).toThrow(/VDX_ADMIN_CLIENT_ID/);
    expect(() => loadConfig({ VDX_JWKS_URL: 'http://127.0.0.1/jwks' })).toThrow(/VDX_JWKS_URL and VDX_ISSUER/);
    expect(() => loadConfig({ VDX_ADMIN_CLIENT_ID: 'a', VDX_ADMIN_CLIENT_SECRET: 'short' })).toThrow(/at least 16/);
  });

  it('uses https and the public URL without a trailing slash', () => {
    const c = loadConfig({ VDX_TLS_CERT: '/c.pem', VDX_TLS_KEY: '/k.pem', VDX_PUBLIC_URL: 'https://vdx.example.dk/' });
    expect(c.publicUrl).toBe('https://vdx.example.dk');
    expect(c.tls).toEqual({ certFile: '/c.pem', keyFile: '/k.pem' });
    expect(loadConfig({ VDX_TLS_CERT: '/c.pem', VDX_TLS_KEY: '/k.pem' }).publicUrl).toBe('https://127.0.0.1:8080');
  });

  it('trusts forwarded client addresses only from the proxies it is told of', () => {
    expect(loadConfig({ VDX_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ VDX_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ VDX_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(() => loadConfig({ VDX_TRUST_PROXY: 'yes please' })).toThrow(/VDX_TRUST_PROXY/);
  });

  it('keeps text messages in the outbox unless a gateway is configured, and refuses a gateway without its token', () => {
    expect(loadConfig({}).sms).toEqual({
      provider: 'outbox',
      gatewayUrl: 'https://gatewayapi.com/rest/mtsms',
      gatewayToken: undefined,
      webhookSecret: undefined,
      personHourlyLimit: 30,
      organisationHourlyLimit: 1000,
    });
    expect(() => loadConfig({ VDX_SMS_PROVIDER: 'gatewayapi' })).toThrow(/VDX_SMS_GATEWAY_TOKEN: is needed/);
    expect(() => loadConfig({ VDX_SMS_PROVIDER: 'twilio' })).toThrow(/VDX_SMS_PROVIDER/);
    expect(() => loadConfig({ VDX_SMS_GATEWAY_URL: 'not a url' })).toThrow(/VDX_SMS_GATEWAY_URL/);
    expect(() => loadConfig({ VDX_SMS_WEBHOOK_SECRET: 'short' })).toThrow(/VDX_SMS_WEBHOOK_SECRET: must be at least 16/);
    const gw = loadConfig({ VDX_SMS_PROVIDER: 'gatewayapi', VDX_SMS_GATEWAY_TOKEN: 'tok', VDX_SMS_GATEWAY_URL: 'http://127.0.0.1:9/rest/mtsms' });
    expect(gw.sms).toMatchObject({ provider: 'gatewayapi', gatewayUrl: 'http://127.0.0.1:9/rest/mtsms', gatewayToken: 'tok' });
  });

  it('reads the SMTP server and the sender of e-mails, refusing what is neither', () => {
    expect(loadConfig({}).mail).toEqual({ smtpUrl: undefined, from: 'VDX Video <no-reply@localhost>' });
    const c = loadConfig({ VDX_SMTP_URL: 'smtp://mail.region.dk:587', VDX_MAIL_FROM: 'Region H <video@regionh.dk>' });
    expect(c.mail).toEqual({ smtpUrl: 'smtp://mail.region.dk:587', from: 'Region H <video@regionh.dk>' });
    expect(loadConfig({ VDX_MAIL_FROM: 'video@regionh.dk' }).mail.from).toBe('video@regionh.dk');
    expect(() => loadConfig({ VDX_SMTP_URL: 'http://mail' })).toThrow(/VDX_SMTP_URL: must be an smtp/);
    expect(() => loadConfig({ VDX_MAIL_FROM: 'Region H' })).toThrow(/VDX_MAIL_FROM/);
  });
});
