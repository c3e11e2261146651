import { describe, expect, it } from 'vitest';
import { kpiCsv, lastMonths } from './kpi-table';

describe('KPI table', () => {
  it('the last 12 months end with the Copenhagen month now, across a new year', () => {
    expect(lastMonths(new Date('2026-03-02T08:00:00Z'), 12)).toEqual({ from: '2025-04', to: '2026-03' });
    // 23:30 UTC on 31 December is already January in Copenhagen.
    expect(lastMonths(new Date('2026-12-31T23:30:00Z'), 12)).toEqual({ from: '2026-02', to: '2027-01' });
  });

  it('writes CSV with the field names as header and empty fields for missing figures', () => {
    const month = {
      month: '2026-02',
      meetings: 2,
      meetingsBooked: 2,
      calls: 5,
      sms: 2,
      smsDelivered: 1,
      videoQualityPercent: 75.5,
      peakConcurrentParticipants: 3,
      peakAt: null,
      uptimeInfrastructurePercent: null,
      uptimeApiPercent: 100,
    };
    expect(kpiCsv([month], ['meetings', 'calls', 'videoQualityPercent', 'uptimeInfrastructurePercent'])).toBe(
      'month,meetings,calls,videoQualityPercent,uptimeInfrastructurePercent\r\n2026-02,2,5,75.5,\r\n',
    );
  });
});
