import { z } from 'zod';

/**
 * One month of the service table MedCom reports VDX by (`GET /management/v1/kpis`, decision 0020).
 * Months are calendar months in Europe/Copenhagen.
 */
export const MonthKpis = z.object({
  /** `YYYY-MM`. */
  month: z.string(),
  /** Conferences held: booked meetings and fixed-VMR sessions with at least one participant. */
  meetings: z.number().int(),
  /** Meetings booked to start in the month. */
  meetingsBooked: z.number().int(),
  /** Participants' calls (a rejoin within a minute is the same call). */
  calls: z.number().int(),
  /** Text messages handed to the gateway, and those the gateway reported delivered. */
  sms: z.number().int(),
  smsDelivered: z.number().int(),
  /** Share of judged calls with good quality (VIDEO_QUALITY_BAR); null when none was judged. */
  videoQualityPercent: z.number().nullable(),
  /** Most participants in calls at once (licence use), and when that was first reached. */
  peakConcurrentParticipants: z.number().int(),
  peakAt: z.string().nullable(),
  /** Share of the month's 30 s slots the conference node / booking API passed; null before any sample. */
  uptimeInfrastructurePercent: z.number().nullable(),
  uptimeApiPercent: z.number().nullable(),
});
export type MonthKpis = z.infer<typeof MonthKpis>;

export const KpiReport = z.object({ months: z.array(MonthKpis) });
export type KpiReport = z.infer<typeof KpiReport>;
