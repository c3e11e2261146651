import { useI18n } from '../i18n/I18nProvider';
import { CheckboxField } from '../ui/CheckboxField';
import { SelectField } from '../ui/SelectField';
import { TextField } from '../ui/TextField';
import type { Template } from './booking-api';
import { applyTemplate, fieldId, type DraftErrors, type GuestMicrophone, type MeetingDraft } from './meeting-draft';

const MICROPHONES: GuestMicrophone[] = ['on', 'muted', 'off'];

/**
 * How the meeting room behaves: template, guest PIN, guests' microphone, end at the end time,
 * most participants, labels. Template, guest PIN, end and limit shape the meeting's room when it
 * is booked, so the edit form shows only the microphone and the labels (the API's PATCH takes no more).
 */
export function MeetingSettingsFields({
  draft,
  onChange,
  errors,
  mode,
  templates,
  disabled,
}: {
  draft: MeetingDraft;
  onChange(next: MeetingDraft): void;
  errors: DraftErrors;
  mode: 'create' | 'edit';
  templates: Template[];
  disabled: boolean;
}) {
  const { t } = useI18n();
  const err = (key: keyof DraftErrors) => (errors[key] ? t(errors[key]) : undefined);
  const choosable = templates.filter((tpl) => !tpl.isPoolTemplate);
  const templateOptions = [
    ...(choosable.some((tpl) => tpl.isDefaultTemplate) ? [] : [{ value: '', label: t('booking.form.templateDefault') }]),
    ...choosable.map((tpl) => ({
      value: tpl.isDefaultTemplate ? '' : String(tpl.id),
      label: t(tpl.isDefaultTemplate ? 'booking.form.templateOptionDefault' : 'booking.form.templateOption', { id: tpl.id, address: `${tpl.uriPrefix}…@${tpl.uriDomain}` }),
    })),
  ];
  const pickTemplate = (value: string) => {
    const tpl = value ? choosable.find((x) => String(x.id) === value) : choosable.find((x) => x.isDefaultTemplate);
    onChange(applyTemplate({ ...draft, templateId: value }, tpl));
  };
  const creating = mode === 'create';
  const pool = draft.kind === 'POOL';

  return (
    <fieldset className="booking-fieldset" disabled={disabled}>
      <legend>{t('booking.form.settings')}</legend>
      {creating && !pool && templateOptions.length > 1 ? (
        <SelectField id={fieldId('templateId')} label={t('booking.form.template')} value={draft.templateId} options={templateOptions} onChange={(e) => pickTemplate(e.target.value)} />
      ) : null}
      {creating && !pool ? (
        <CheckboxField
          id={fieldId('guestPinRequired')}
          label={t('booking.form.guestPin')}
          hint={t('booking.form.guestPinHint')}
          checked={draft.guestPinRequired}
          onChange={(e) => onChange({ ...draft, guestPinRequired: e.target.checked })}
        />
      ) : null}
      <SelectField
        id={fieldId('guestMicrophone')}
        label={t('booking.form.microphone')}
        value={draft.guestMicrophone}
        options={MICROPHONES.map((m) => ({ value: m, label: t(`booking.form.microphone.${m}`) }))}
        onChange={(e) => onChange({ ...draft, guestMicrophone: e.target.value as GuestMicrophone })}
      />
      {creating ? (
        <CheckboxField
          id={fieldId('endMeetingOnEndTime')}
          label={t('booking.form.endAtEnd')}
          hint={t('booking.form.endAtEndHint')}
          checked={draft.endMeetingOnEndTime}
          onChange={(e) => onChange({ ...draft, endMeetingOnEndTime: e.target.checked })}
        />
      ) : null}
      {creating ? (
        <TextField
          id={fieldId('maxParticipants')}
          type="number"
          inputMode="numeric"
          min={0}
          step={1}
          label={t('booking.form.maxParticipants')}
          hint={t('booking.form.maxParticipantsHint')}
          value={draft.maxParticipants}
          error={err('maxParticipants')}
          onChange={(e) => onChange({ ...draft, maxParticipants: e.target.value })}
        />
      ) : null}
      <TextField
        id={fieldId('labels')}
        label={t('booking.form.labels')}
        hint={t('booking.form.labelsHint')}
        value={draft.labels}
        autoComplete="off"
        error={err('labels')}
        onChange={(e) => onChange({ ...draft, labels: e.target.value })}
      />
    </fieldset>
  );
}
