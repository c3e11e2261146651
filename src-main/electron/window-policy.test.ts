import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, isAdminExitChord, navigationAllowed, originsOf, permissionAllowed, roomWindowOptions } from './window-policy';

describe('window policy', () => {
  it('always sandboxes and isolates the renderer, in both modes', () => {
    for (const mode of ['kiosk', 'desktop'] as const) {
      expect(roomWindowOptions({ mode, preloadPath: '/p.cjs' }).webPreferences).toMatchObject({
        contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInSubFrames: false, webSecurity: true,
      });
    }
  });

  it('matches origins exactly (no prefix tricks)', () => {
    const allowed = originsOf(['https://vdx.example/room/', 'https://node.vdx.example:8443/x', 'not a url']);
    expect(allowed).toEqual(['https://vdx.example', 'https://node.vdx.example:8443']);
    expect(navigationAllowed('https://vdx.example/room/#x', allowed)).toBe(true);
    expect(navigationAllowed('https://vdx.example.evil.com/', allowed)).toBe(false);
    expect(navigationAllowed('http://vdx.example/', allowed)).toBe(false);
    expect(navigationAllowed('file:///etc/passwd', allowed)).toBe(false);
    expect(permissionAllowed('media', 'https://node.vdx.example:8443/', allowed)).toBe(true);
    expect(permissionAllowed('openExternal', 'https://vdx.example/', allowed)).toBe(false);
  });

  it('builds a CSP allowing the conference node for fetch and WebSocket only', () => {
    const csp = contentSecurityPolicy('https://vdx.example', ['https://node.example']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain('wss://node.example');
    expect(csp).not.toContain('unsafe-eval');
  });

  it('recognises only the full admin chord', () => {
    const k = { type: 'keyDown', key: 'q', control: true, alt: true, shift: true };
    expect(isAdminExitChord(k)).toBe(true);
    expect(isAdminExitChord({ ...k, shift: false })).toBe(false);
    expect(isAdminExitChord({ ...k, type: 'keyUp' })).toBe(false);
  });
});
