import { useEffect, useRef, type FormEvent } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/translate';
import { TextAreaField } from '../ui/TextAreaField';
import { TextField } from '../ui/TextField';
import type { Pool, Template } from './booking-api';
import { fieldId, LIMITS, type DraftErrors, type DraftField, type MeetingDraft } from './meeting-draft';
import { MeetingSettingsFields } from './MeetingSettingsFields';
import { OrganizerField } from './OrganizerField';
import { WhenFields } from './WhenFields';

export interface MeetingFormProps {
  mode: 'create' | 'edit';
  draft: MeetingDraft;
  onChange(next: MeetingDraft): void;
  errors: DraftErrors;
  /** Increases on every refused submit, so the first wrong field gets the focus again. */
  attempt: number;
  templates: Template[];
  pool: Pool | undefined;
  orgWide: boolean;
  /** The meeting's room is ready: only the end time may change (the API's rule). */
  endOnly: boolean;
  busy: boolean;
  failure?: MessageKey;
  submitLabel: string;
  onSubmit(): void;
  onCancel(): void;
}

/** The book / edit form. Native inputs throughout: date and time pickers work by keyboard. */
export function MeetingForm(props: MeetingFormProps) {
  const { t } = useI18n();
  const { draft, onChange, errors, mode, endOnly, busy } = props;
  const set = <K extends DraftField>(field: K, value: MeetingDraft[K]) => onChange({ ...draft, [field]: value });
  const err = (field: DraftField) => (errors[field] ? t(errors[field]) : undefined);
  const failure = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    if (props.attempt === 0) return;
    const first = (Object.keys(errors) as DraftField[])[0];
    if (first) document.getElementById(fieldId(first))?.focus();
    else failure.current?.focus();
  }, [props.attempt]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!busy) props.onSubmit();
  };

  return (
    <form className="booking-form" onSubmit={submit} noValidate data-testid="meeting-form">
      {endOnly ? (
        <p className="booking-notice" id="end-only-note">
          {t('booking.form.endOnly')}
        </p>
      ) : null}
      <fieldset className="booking-fieldset" disabled={endOnly}>
        <legend>{t('booking.form.what')}</legend>
        <TextField
          id={fieldId('subject')}
          label={t('booking.form.subject')}
          value={draft.subject}
          maxLength={LIMITS.subject}
          required
          autoComplete="off"
          error={err('subject')}
          onChange={(e) => set('subject', e.target.value)}
        />
        <TextAreaField
          id={fieldId('description')}
          label={t('booking.form.description')}
          hint={t('booking.form.descriptionHint')}
          value={draft.description}
          maxLength={LIMITS.description}
          rows={3}
          error={err('description')}
          onChange={(e) => set('description', e.target.value)}
        />
      </fieldset>
      <WhenFields draft={draft} onChange={onChange} errors={errors} pool={mode === 'create' ? props.pool : undefined} endOnly={endOnly} />
      {props.orgWide ? <OrganizerField draft={draft} onChange={onChange} error={err('organizerEmail')} disabled={endOnly} /> : null}
      <MeetingSettingsFields draft={draft} onChange={onChange} errors={errors} mode={mode} templates={props.templates} disabled={endOnly} />
      {props.failure ? (
        <p ref={failure} tabIndex={-1} className="vdx-error booking-failure" role="alert" data-testid="form-failure">
          {t(props.failure)}
        </p>
      ) : null}
      <div className="booking-actions">
        <button type="submit" className="vdx-button primary" disabled={busy} data-testid="submit-meeting">
          {busy ? t('booking.form.working') : props.submitLabel}
        </button>
        <button type="button" className="vdx-button" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
