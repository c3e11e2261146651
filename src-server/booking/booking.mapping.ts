import type { Selectable } from 'kysely';
import {
  TEMPLATE_DEFAULTS,
  type AdditionalInformation,
  type MeetingDto,
  type PortalSettings,
  type ProvisionStatus,
  type SchedulingInfoDto,
  type SchedulingTemplateDto,
  type SchedulingTemplateInput,
  type VmrSettings,
} from '../../src-shared/booking/booking.schemas';
import { formatVdxTime } from '../../src-shared/booking/vdx-time';
import type { MeetingTable, SchedulingInfoTable, SchedulingTemplateTable } from './booking.tables';

/** Where the API lives; `_links.self` hrefs are absolute under the public URL. */
export const API_BASE = '/videoapi/v2';

export interface LinkBases {
  publicUrl: string;
  shortLinkBase: string;
}

export function toMeetingDto(row: Selectable<MeetingTable>, links: LinkBases): MeetingDto {
  return {
    uuid: row.uuid,
    subject: row.subject,
    description: row.description,
    projectCode: row.project_code,
    startTime: formatVdxTime(row.start_time),
    endTime: formatVdxTime(row.end_time),
    organizedBy: { organisationId: row.organisation_code, email: row.organizer_email },
    createdBy: { organisationId: row.created_by_org, email: row.created_by_email },
    updatedBy: row.updated_by_org
      ? { organisationId: row.updated_by_org, email: row.updated_by_email }
      : { organisationId: null, email: null },
    createdTime: formatVdxTime(row.created_at),
    updatedTime: row.updated_at ? formatVdxTime(row.updated_at) : null,
    shortId: row.short_id,
    shortLink: links.shortLinkBase + row.short_id,
    shortlink: links.shortLinkBase + row.short_id,
    guestMicrophone: row.guest_microphone as MeetingDto['guestMicrophone'],
    guestPinRequired: row.guest_pin_required === 1,
    labels: JSON.parse(row.labels) as string[],
    additionalInformation: JSON.parse(row.additional_information) as AdditionalInformation[],
    externalId: row.external_id,
    _links: {
      self: { href: `${links.publicUrl}${API_BASE}/meetings/${row.uuid}` },
      // GET /scheduling-info/{uuid} answers a meeting's uuid with the meeting's info.
      'scheduling-info': { href: `${links.publicUrl}${API_BASE}/scheduling-info/${row.uuid}` },
    },
  };
}

/** A stored template body, complete: rows written before a field existed get its default. */
export function templateBody(stored: string): SchedulingTemplateInput {
  return { ...TEMPLATE_DEFAULTS, ...(JSON.parse(stored) as Partial<SchedulingTemplateInput>) };
}

export function toTemplateDto(row: Selectable<SchedulingTemplateTable>, links: LinkBases): SchedulingTemplateDto {
  return {
    ...templateBody(row.body),
    id: row.id,
    organisationId: row.organisation_code,
    isDefaultTemplate: row.is_default === 1,
    isPoolTemplate: row.is_pool === 1,
    // Templates store who wrote them as one e-mail (or client id); the organisation is the template's.
    createdBy: { organisationId: row.organisation_code, email: row.created_by },
    updatedBy: row.updated_by ? { organisationId: row.organisation_code, email: row.updated_by } : null,
    createdTime: formatVdxTime(row.created_at),
    updatedTime: row.updated_at ? formatVdxTime(row.updated_at) : null,
    _links: { self: { href: `${links.publicUrl}${API_BASE}/scheduling-templates/${row.id}` } },
  };
}

export function toSchedulingInfoDto(
  row: Selectable<SchedulingInfoTable>,
  meeting: Selectable<MeetingTable> | undefined,
  links: LinkBases,
): SchedulingInfoDto {
  const settings = JSON.parse(row.settings) as VmrSettings & Partial<PortalSettings>;
  const meetingDto = meeting ? toMeetingDto(meeting, links) : null;
  const vmrStart = meeting ? new Date(Date.parse(meeting.start_time) - row.vmr_available_before * 60_000) : null;
  return {
    uuid: row.uuid,
    organizationId: row.organisation_code,
    uriWithDomain: row.uri_with_domain,
    uriWithoutDomain: row.uri_without_domain,
    hostPin: row.host_pin === null ? null : Number(row.host_pin),
    guestPin: row.guest_pin === null ? null : Number(row.guest_pin),
    vmrAvailableBefore: row.vmr_available_before,
    vmrStartTime: vmrStart ? formatVdxTime(vmrStart) : null,
    provisionStatus: row.provision_status as ProvisionStatus,
    provisionStatusDescription: row.provision_status_description,
    provisionVmrId: row.provision_vmr_id,
    provisionTimestamp: row.provision_timestamp ? formatVdxTime(row.provision_timestamp) : null,
    portalLink: row.portal_link,
    shortLink: meetingDto?.shortLink ?? null,
    shortlink: meetingDto?.shortLink ?? null,
    ivrTheme: row.ivr_theme,
    directMedia: row.direct_media as SchedulingInfoDto['directMedia'],
    conferencingSysId: row.conferencing_sys_id,
    reservationId: row.reservation_id,
    schedulingTemplateId: row.template_id,
    ...settings,
    callType: settings.callType ?? null,
    customPortalGuest: settings.customPortalGuest ?? null,
    customPortalHost: settings.customPortalHost ?? null,
    returnUrl: settings.returnUrl ?? null,
    // Rows from before migration 0201 name no users: their meeting's stand in.
    createdBy: row.created_by_org ? { organisationId: row.created_by_org, email: row.created_by_email } : (meetingDto?.createdBy ?? null),
    updatedBy: row.updated_by_org
      ? { organisationId: row.updated_by_org, email: row.updated_by_email }
      : meetingDto?.updatedBy.organisationId
        ? meetingDto.updatedBy
        : null,
    createdTime: formatVdxTime(row.created_at),
    updatedTime: row.updated_at ? formatVdxTime(row.updated_at) : null,
    meetingDetails: meetingDto,
    _links: { self: { href: `${links.publicUrl}${API_BASE}/scheduling-info/${row.uuid}` } },
  };
}
