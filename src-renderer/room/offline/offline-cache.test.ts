import { describe, expect, it } from 'vitest';
import { assetUrlsOf, routeOf } from './offline-cache';

const SCOPE = 'https://vdx.example.dk/room/';

describe('room UI offline cache policy', () => {
  it('caches the room page and hashed assets, and leaves every API alone', () => {
    expect(routeOf('https://vdx.example.dk/room/', SCOPE)).toBe('page');
    expect(routeOf('https://vdx.example.dk/room/index.html', SCOPE)).toBe('page');
    expect(routeOf('https://vdx.example.dk/assets/room-o_C8w4x2.js', SCOPE)).toBe('asset');
    expect(routeOf('https://vdx.example.dk/device/v1/me/schedule', SCOPE)).toBe('bypass');
    expect(routeOf('https://vdx.example.dk/api/client/v2/conferences/x/request_token', SCOPE)).toBe('bypass');
    expect(routeOf('https://vdx.example.dk/room/sw.js', SCOPE)).toBe('bypass');
    expect(routeOf('https://vdx.example.dk/assets/x.js?v=2', SCOPE)).toBe('bypass');
    expect(routeOf('https://pexip.example.dk/assets/room.js', SCOPE)).toBe('bypass');
  });

  it('finds the entry script, module preloads and style sheets of a built page', () => {
    const html = `<!doctype html><html><head>
      <link rel="icon" href="data:," />
      <script type="module" crossorigin src="../assets/room-o_C8w4x2.js"></script>
      <link rel="modulepreload" crossorigin href="../assets/CallView-CowP309i.js">
      <link rel="stylesheet" crossorigin href="../assets/room-DznCrYj-.css">
      <link rel="preconnect" href="https://elsewhere.example">
      <script src="https://cdn.example/x.js"></script>
    </head></html>`;
    expect(assetUrlsOf(html, SCOPE)).toEqual([
      'https://vdx.example.dk/assets/room-o_C8w4x2.js',
      'https://vdx.example.dk/assets/CallView-CowP309i.js',
      'https://vdx.example.dk/assets/room-DznCrYj-.css',
    ]);
  });
});
