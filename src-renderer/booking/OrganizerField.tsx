import { useI18n } from '../i18n/I18nProvider';
import { TextField } from '../ui/TextField';
import { fieldId, LIMITS, type MeetingDraft } from './meeting-draft';

/** A planner books on behalf of a colleague: the colleague's e-mail becomes `organizedByEmail`. */
export function OrganizerField({ draft, onChange, error, disabled }: { draft: MeetingDraft; onChange(next: MeetingDraft): void; error?: string; disabled: boolean }) {
  const { t } = useI18n();
  return (
    <fieldset className="booking-fieldset" disabled={disabled}>
      <legend>{t('booking.form.for')}</legend>
      <TextField
        id={fieldId('organizerEmail')}
        type="email"
        label={t('booking.form.organizer')}
        hint={t('booking.form.organizerHint')}
        value={draft.organizerEmail}
        maxLength={LIMITS.email}
        autoComplete="off"
        error={error}
        onChange={(e) => onChange({ ...draft, organizerEmail: e.target.value })}
        data-testid="organizer-email"
      />
    </fieldset>
  );
}
