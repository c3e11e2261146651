import { describe, expect, it } from 'vitest';
import { parseJoinTarget } from './join-target';

const at = (path: string) => parseJoinTarget(new URL(path, 'https://vdx.example'));

describe('parseJoinTarget', () => {
  it('reads a short id from /join/{shortId}', () => {
    expect(at('/join/Ab3dE9xk')).toEqual({ kind: 'short-id', shortId: 'Ab3dE9xk' });
    expect(at('/join/Ab3dE9xk/')).toEqual({ kind: 'short-id', shortId: 'Ab3dE9xk' });
  });

  it('reads an alias from /join?alias=', () => {
    expect(at('/join?alias=meet.1234%40vdx.example')).toEqual({ kind: 'alias', alias: 'meet.1234@vdx.example' });
  });

  it('carries a display name from the link', () => {
    expect(at('/join/Ab3dE9xk?name=Ida%20Holm')).toEqual({ kind: 'short-id', shortId: 'Ab3dE9xk', name: 'Ida Holm' });
  });

  it('reads the token of a personal link from the fragment, and ignores one of the wrong shape', () => {
    const token = 'Ab3dE9xk_Ab3dE9xk-Ab3dE9';
    expect(at(`/join/Ab3dE9xk#p=${token}`)).toEqual({ kind: 'short-id', shortId: 'Ab3dE9xk', personalToken: token });
    expect(at('/join/Ab3dE9xk#p=short')).toEqual({ kind: 'short-id', shortId: 'Ab3dE9xk' });
  });

  it('refuses malformed links', () => {
    expect(at('/join')).toEqual({ kind: 'none' });
    expect(at('/join/a')).toEqual({ kind: 'none' });
    expect(at('/join/%E0%A4%A')).toEqual({ kind: 'none' });
    expect(at('/join/abcd/extra')).toEqual({ kind: 'none' });
    expect(at('/join?alias=has%20space')).toEqual({ kind: 'none' });
  });
});
