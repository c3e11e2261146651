import { describe, expect, it } from 'vitest';
import { compareVersions } from './version-order';

describe('compareVersions', () => {
  it('orders by semver precedence, pre-releases below their release', () => {
    const sorted = ['1.0.0', '1.0.0-beta.11', '1.0.0-alpha', '2.0.0', '1.0.0-beta.2', '1.10.0', '1.2.0', '1.0.0-alpha.1'].sort(
      compareVersions,
    );
    expect(sorted).toEqual(['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0', '1.2.0', '1.10.0', '2.0.0']);
  });

  it('ignores build metadata', () => {
    expect(compareVersions('1.2.3+build.5', '1.2.3')).toBe(0);
  });
});
