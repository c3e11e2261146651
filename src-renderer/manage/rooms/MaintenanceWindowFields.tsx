import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/translate';
import { WEEKDAYS, type DraftProblems, type SlotDraft } from './room-draft';

const DAY_KEY: Record<(typeof WEEKDAYS)[number], MessageKey> = {
  mon: 'manage.day.mon',
  tue: 'manage.day.tue',
  wed: 'manage.day.wed',
  thu: 'manage.day.thu',
  fri: 'manage.day.fri',
  sat: 'manage.day.sat',
  sun: 'manage.day.sun',
};
const PROBLEM_KEY = { noDays: 'manage.room.problem.noDays', time: 'manage.room.problem.time' } as const;

/**
 * The maintenance window: weekly slots (days, start, end) in the room's time zone, when the device
 * may restart and install updates. A slot whose end is not after its start runs past midnight.
 */
export function MaintenanceWindowFields({
  timeZone,
  slots,
  problems,
  onChange,
}: {
  timeZone: string;
  slots: SlotDraft[];
  problems: DraftProblems;
  onChange(slots: SlotDraft[]): void;
}) {
  const { t } = useI18n();
  const change = (i: number, patch: Partial<SlotDraft>) => onChange(slots.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  return (
    <fieldset className="manage-window" aria-describedby="window-hint">
      <legend>{t('manage.room.window')}</legend>
      <p id="window-hint" className="vdx-hint">
        {t('manage.room.windowHint', { timeZone })}
      </p>
      {slots.length === 0 && <p className="vdx-hint">{t('manage.room.windowNone')}</p>}
      {slots.map((slot, i) => {
        const problem = problems[`slot.${i}`];
        const errorId = `slot-${i}-error`;
        return (
          <fieldset key={i} className="manage-slot" data-testid="window-slot" aria-describedby={problem ? errorId : undefined}>
            <legend>{t('manage.room.slot', { n: i + 1 })}</legend>
            <div className="manage-days">
              {WEEKDAYS.map((day) => (
                <label key={day} className="manage-day">
                  <input
                    type="checkbox"
                    checked={slot.days.includes(day)}
                    onChange={(e) => change(i, { days: e.target.checked ? [...slot.days, day] : slot.days.filter((d) => d !== day) })}
                  />
                  {t(DAY_KEY[day])}
                </label>
              ))}
            </div>
            <div className="manage-slot-times">
              <label>
                {t('manage.room.slotStart')}
                <input className="vdx-input" type="time" value={slot.start} required onChange={(e) => change(i, { start: e.target.value })} />
              </label>
              <label>
                {t('manage.room.slotEnd')}
                <input className="vdx-input" type="time" value={slot.end} required onChange={(e) => change(i, { end: e.target.value })} />
              </label>
              <button type="button" className="vdx-button" onClick={() => onChange(slots.filter((_, j) => j !== i))}>
                {t('manage.room.slotRemove', { n: i + 1 })}
              </button>
            </div>
            {problem && (
              <p id={errorId} className="vdx-error" role="alert">
                {t(PROBLEM_KEY[problem as keyof typeof PROBLEM_KEY])}
              </p>
            )}
          </fieldset>
        );
      })}
      {slots.length < 14 && (
        <button type="button" className="vdx-button" data-testid="window-add" onClick={() => onChange([...slots, { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '02:00', end: '05:00' }])}>
          {t('manage.room.slotAdd')}
        </button>
      )}
    </fieldset>
  );
}
