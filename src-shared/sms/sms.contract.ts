import { z } from 'zod';

/**
 * SMS Video (`/sms/v1/...`): an ad hoc video meeting starting now, with a personal link sent by
 * text message to each recipient; and the embedded outbox management reads
 * (`/management/v1/sms-outbox`).
 */

export const SmsStatus = z.enum(['queued', 'sent', 'delivered', 'failed']);
export type SmsStatus = z.infer<typeof SmsStatus>;

export const SmsRecipient = z.object({
  /**
   * A mobile number as typed: Danish with or without +45, any other country with +. Checked by
   * the server (libphonenumber), which answers 400 `invalid_phone` naming the number.
   */
  phone: z.string().max(100),
  /** Shown in the meeting as the guest's name, and used in the greeting. */
  name: z.string().trim().min(1).max(100).optional(),
});

/** `POST /sms/v1/meetings`. */
export const SendSmsMeetingRequest = z.object({
  recipients: z.array(SmsRecipient).min(1).max(50),
  /** The text before the link; default: the organisation's Danish invitation. */
  message: z.string().trim().min(1).max(480).optional(),
});
export type SendSmsMeetingRequest = z.infer<typeof SendSmsMeetingRequest>;

export const SmsSegmentsDto = z.object({
  encoding: z.enum(['GSM-7', 'UCS-2']),
  /** SMS parts the text is sent as. */
  count: z.number().int(),
});

/** One text message, as its sender and the organisation's planners see it. */
export const SmsMessageDto = z.object({
  id: z.string(),
  /** E.164. */
  phone: z.string(),
  name: z.string().nullable(),
  status: SmsStatus,
  /** Why it failed; while queued, why the last attempt did not go through. */
  reason: z.string().nullable(),
  meetingUuid: z.string().nullable(),
  attempts: z.number().int(),
  segments: SmsSegmentsDto,
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
});
export type SmsMessageDto = z.infer<typeof SmsMessageDto>;

export const SmsMessageParams = z.object({ id: z.uuid() });

/** A message just queued, with the personal link it carries (shown once, to its sender). */
export const SentSmsMessage = SmsMessageDto.extend({ link: z.url() });

/** `201` of `POST /sms/v1/meetings`. */
export const SendSmsMeetingResponse = z.object({
  /** The VDX Booking meeting created (its `meetingDto`). */
  meeting: z.looseObject({ uuid: z.string(), shortId: z.string(), startTime: z.string(), endTime: z.string() }),
  /** The clinician's own personal link: into the meeting as host, no PIN to type. */
  hostLink: z.url(),
  messages: z.array(SentSmsMessage),
});
export type SendSmsMeetingResponse = z.infer<typeof SendSmsMeetingResponse>;

/** One message the embedded outbox gateway took. */
export const SmsOutboxEntry = z.object({
  id: z.string(),
  messageId: z.string(),
  organisationCode: z.string(),
  phone: z.string(),
  senderName: z.string(),
  text: z.string(),
  status: SmsStatus,
  createdAt: z.string(),
});
export const SmsOutboxList = z.array(SmsOutboxEntry);

export const SmsOutboxQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
