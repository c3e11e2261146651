import { z } from 'zod';

/** The status page's components (fixed ids). */
export const ComponentId = z.enum(['booking-api', 'conference-node', 'device-service', 'sign-in', 'sms']);
export type ComponentId = z.infer<typeof ComponentId>;

export const ComponentStatus = z.enum(['operational', 'degraded', 'outage', 'maintenance']);
export type ComponentStatus = z.infer<typeof ComponentStatus>;

/** Incident states, as status pages commonly name them. */
export const IncidentStatus = z.enum(['investigating', 'identified', 'monitoring', 'resolved']);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

export const IncidentUpdate = z.object({ status: IncidentStatus, message: z.string(), createdAt: z.string() });

export const Incident = z.object({
  id: z.string(),
  title: z.string(),
  status: IncidentStatus,
  componentIds: z.array(ComponentId),
  createdAt: z.string(),
  updatedAt: z.string(),
  resolvedAt: z.string().nullable(),
  /** Newest first. */
  updates: z.array(IncidentUpdate),
});
export type Incident = z.infer<typeof Incident>;

export const DailyUptime = z.object({
  /** A day in Europe/Copenhagen. */
  date: z.string(),
  /** Share of the day's 30-second slots with a passing probe; null before probing began. */
  uptimePercent: z.number().nullable(),
});

export const StatusComponent = z.object({
  id: ComponentId,
  name: z.string(),
  status: ComponentStatus,
  /** When the component was last probed (null: not yet). */
  checkedAt: z.string().nullable(),
  /** The last 90 days, oldest first, today last. */
  uptime: z.array(DailyUptime),
});

/** `GET /status.json`: public, no internals. */
export const StatusDocument = z.object({
  components: z.array(StatusComponent),
  /** Open incidents and those resolved in the last 7 days, newest first. */
  incidents: z.array(Incident),
  generatedAt: z.string(),
});
export type StatusDocument = z.infer<typeof StatusDocument>;

const Message = z.string().trim().min(1).max(2000);

/** `POST /management/v1/incidents`. */
export const CreateIncidentBody = z.strictObject({
  title: z.string().trim().min(1).max(200),
  status: IncidentStatus,
  componentIds: z.array(ComponentId).min(1).max(5).transform((ids) => [...new Set(ids)]),
  message: Message,
});

/** `PATCH /management/v1/incidents/{id}`: a new status and/or message is one more update. */
export const UpdateIncidentBody = z
  .strictObject({
    title: z.string().trim().min(1).max(200).optional(),
    status: IncidentStatus.optional(),
    componentIds: z.array(ComponentId).min(1).max(5).transform((ids) => [...new Set(ids)]).optional(),
    message: Message.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'Give at least one of title, status, componentIds, message' });

export const IncidentParams = z.object({ id: z.string().min(1).max(64) });
export const IncidentList = z.object({ incidents: z.array(Incident) });
