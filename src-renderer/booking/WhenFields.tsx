import { useI18n } from '../i18n/I18nProvider';
import { TextField } from '../ui/TextField';
import type { Pool } from './booking-api';
import { fieldId, type DraftErrors, type MeetingDraft } from './meeting-draft';

const CLOCK_FIELDS = [
  { field: 'date', type: 'date', label: 'booking.form.date' },
  { field: 'startTime', type: 'time', label: 'booking.form.start' },
  { field: 'endTime', type: 'time', label: 'booking.form.end' },
] as const;

/**
 * Date, start and end in Copenhagen time (native date/time inputs), and — where the organisation
 * keeps a pool — the choice of an ad hoc meeting that starts at once in a ready pool room.
 */
export function WhenFields({
  draft,
  onChange,
  errors,
  pool,
  endOnly,
}: {
  draft: MeetingDraft;
  onChange(next: MeetingDraft): void;
  errors: DraftErrors;
  pool: Pool | undefined;
  endOnly: boolean;
}) {
  const { t } = useI18n();
  const err = (key: keyof DraftErrors) => (errors[key] ? t(errors[key]) : undefined);
  const now = draft.kind === 'POOL';
  return (
    <fieldset className="booking-fieldset">
      <legend>{t('booking.form.when')}</legend>
      {pool ? (
        <fieldset className="booking-choice" disabled={endOnly}>
          <legend className="vdx-label">{t('booking.form.kind')}</legend>
          <div className="vdx-check">
            <input type="radio" id="kind-normal" name="meeting-kind" checked={!now} onChange={() => onChange({ ...draft, kind: 'NORMAL' })} />
            <label htmlFor="kind-normal">{t('booking.form.kindNormal')}</label>
          </div>
          <div className="vdx-check">
            <input
              type="radio"
              id="kind-pool"
              name="meeting-kind"
              checked={now}
              aria-describedby="kind-pool-hint"
              onChange={() => onChange({ ...draft, kind: 'POOL' })}
              data-testid="kind-pool"
            />
            <label htmlFor="kind-pool">{t('booking.form.kindPool')}</label>
          </div>
          <p id="kind-pool-hint" className="vdx-hint">
            {t('booking.form.kindPoolHint', { count: pool.availablePoolSize })}
          </p>
        </fieldset>
      ) : null}
      <p className="vdx-hint" id="time-zone-hint">
        {t('booking.form.timeZone')}
      </p>
      <div className="booking-row">
        {CLOCK_FIELDS.filter((f) => !now || f.field === 'endTime').map(({ field, type, label }) => (
          <TextField
            key={field}
            id={fieldId(field)}
            type={type}
            label={t(label)}
            value={draft[field]}
            required
            disabled={endOnly && field !== 'endTime'}
            error={err(field)}
            onChange={(e) => onChange({ ...draft, [field]: e.target.value })}
          />
        ))}
      </div>
    </fieldset>
  );
}
