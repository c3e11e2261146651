import { describe, expect, it } from 'vitest';
import { seriesFigures } from './health-series';

describe('health chart figures', () => {
  it('gives the latest, average and highest value, skipping gaps', () => {
    expect(seriesFigures([10, null, 30, 20, null])).toEqual({ latest: 20, average: 20, max: 30 });
  });
  it('has nothing to say about a series without values (e.g. call quality of a room never in a call)', () => {
    expect(seriesFigures([null, null])).toBeNull();
    expect(seriesFigures([])).toBeNull();
  });
});
