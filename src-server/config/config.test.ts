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
});
