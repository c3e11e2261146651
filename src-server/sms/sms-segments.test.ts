import { describe, expect, it } from 'vitest';
import { isGsm7, smsSegments } from './sms-segments';

describe('smsSegments', () => {
  it('counts Danish letters as GSM-7: æøå are in the default alphabet', () => {
    expect(isGsm7('Hej Søren, din læge åbner videomødet nu.')).toBe(true);
    expect(smsSegments('Hej Søren')).toEqual({ encoding: 'GSM-7', units: 9, segments: 1, remaining: 151 });
  });

  it('fits 160 septets in one SMS and splits 161 into parts of 153', () => {
    expect(smsSegments('a'.repeat(160))).toMatchObject({ segments: 1, remaining: 0 });
    expect(smsSegments('a'.repeat(161))).toMatchObject({ segments: 2, remaining: 145 });
    expect(smsSegments('a'.repeat(306))).toMatchObject({ segments: 2, remaining: 0 });
    expect(smsSegments('a'.repeat(307))).toMatchObject({ segments: 3 });
  });

  it('counts extension characters (€ [ ] { } ~ ^ | \\) as two septets and never splits one', () => {
    expect(smsSegments('Pris: 10 €')).toMatchObject({ encoding: 'GSM-7', units: 11 });
    expect(smsSegments('€'.repeat(80))).toMatchObject({ units: 160, segments: 1 });
    // 152 septets then a 2-septet € : the € does not fit the first part's last septet.
    expect(smsSegments('a'.repeat(152) + '€' + 'a'.repeat(10))).toMatchObject({ units: 164, segments: 2, remaining: 153 - 12 });
  });

  it('switches the whole text to UCS-2 for one character outside GSM-7: 70, then parts of 67', () => {
    expect(smsSegments('Hej 👋')).toMatchObject({ encoding: 'UCS-2', units: 6, segments: 1, remaining: 64 });
    expect(smsSegments('ą'.repeat(70))).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    expect(smsSegments('ą'.repeat(71))).toMatchObject({ segments: 2, remaining: 63 });
    // A surrogate pair (emoji) at a part boundary moves whole to the next part.
    expect(smsSegments('ą'.repeat(66) + '👋' + 'ą'.repeat(5))).toMatchObject({ units: 73, segments: 2, remaining: 67 - 7 });
  });

  it('costs nothing for an empty text', () => {
    expect(smsSegments('')).toEqual({ encoding: 'GSM-7', units: 0, segments: 0, remaining: 160 });
  });
});
