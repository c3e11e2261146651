import { describe, expect, it } from 'vitest';
import { parseActivationUrl, parseJoinUrl, hashMachineId } from '../provisioning/provisioning';
import { BACKOFF_MAX_MS, SseParser, reconnectDelay } from './device-event-stream';

describe('SSE parser', () => {
  it('parses events split across chunks, with ids, comments and CRLF', () => {
    const p = new SseParser();
    expect(p.push(': keep-alive\n\nid: 7\nevent: mess')).toEqual([]);
    expect(p.push('age\r\ndata: {"a":\ndata: 1}\r\n\r\n')).toEqual([{ id: '7', event: 'message', data: '{"a":\n1}' }]);
    expect(p.push('event: command\ndata: {}\n\n')).toEqual([{ id: '7', event: 'command', data: '{}' }]);
  });

  it('backs off exponentially up to 30 s', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 10].map((n) => reconnectDelay(n, mid))).toEqual([1000, 2000, 4000, 8000, BACKOFF_MAX_MS]);
  });
});

describe('vdxroom:// URLs and machine id', () => {
  it('reads activation and join links', () => {
    expect(parseActivationUrl('vdxroom://activate?server=https%3A%2F%2Fvdx.example%2F&code=7kqm-3xwp-ht9c')).toEqual({ serverUrl: 'https://vdx.example', code: '7KQM3XWPHT9C' });
    expect(parseActivationUrl('vdxroom://activate?code=X')).toBeNull();
    expect(parseActivationUrl('https://activate?server=x&code=y')).toBeNull();
    expect(parseJoinUrl('vdxroom://join?alias=afd%40vdx.dk&pin=1234')).toEqual({ alias: 'afd@vdx.dk', pin: '1234' });
  });

  it('hashes the machine id with SHA-256', () => {
    expect(hashMachineId('abc')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashMachineId('abc')).not.toContain('abc');
    expect(hashMachineId('ABC\n')).toBe(hashMachineId('abc'));
  });
});
