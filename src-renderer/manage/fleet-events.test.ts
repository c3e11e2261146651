import { describe, expect, it } from 'vitest';
import { takeSseFrames } from './fleet-events';

describe('reading the management event stream', () => {
  it('takes complete frames, skips comments and keeps an unfinished frame for the next chunk', () => {
    const chunk = 'retry: 3000\n: connected\n\nevent: changed\ndata: {"devices":["d1"],\ndata: "rooms":[],"all":false}\n\nevent: chan';
    const { frames, rest } = takeSseFrames(chunk);
    expect(frames).toEqual([{ event: 'changed', data: '{"devices":["d1"],\n"rooms":[],"all":false}' }]);
    expect(rest).toBe('event: chan');
    const next = takeSseFrames(rest + 'ged\ndata: {}\n\n');
    expect(next).toEqual({ frames: [{ event: 'changed', data: '{}' }], rest: '' });
  });

  it('accepts CRLF line ends and a field without a space after the colon', () => {
    expect(takeSseFrames('event:changed\r\ndata:{"a":1}\r\n\r\n').frames).toEqual([{ event: 'changed', data: '{"a":1}' }]);
  });
});
