import { useRef, useState, type FormEvent } from 'react';
import type { AddParticipantRequest } from '../../src-shared/appointments/appointments.contract';
import { useI18n } from '../i18n/I18nProvider';
import { TextField } from '../ui/TextField';
import { checkPerson, emptyPerson, type PersonDraft, type PersonErrors } from './person-draft';

/** Add a person: a name and an e-mail and/or a mobile number (for the invitation). */
export function AddPersonForm({ onAdd }: { onAdd(body: AddParticipantRequest): Promise<boolean> }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<PersonDraft>(emptyPerson);
  const [errors, setErrors] = useState<PersonErrors>({});
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const err = (k: keyof PersonDraft) => (errors[k] ? t(errors[k]) : undefined);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const checked = checkPerson(draft);
    if (!checked.ok) {
      setErrors(checked.errors);
      const first = (Object.keys(checked.errors) as (keyof PersonDraft)[])[0];
      if (first) form.current?.querySelector<HTMLInputElement>(`#person-${first}`)?.focus();
      return;
    }
    setErrors({});
    setBusy(true);
    if (await onAdd(checked.body)) {
      setDraft(emptyPerson);
      form.current?.querySelector<HTMLInputElement>('#person-name')?.focus();
    }
    setBusy(false);
  };

  return (
    <form ref={form} className="booking-subform" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="add-person-title" data-testid="add-person">
      <h4 id="add-person-title">{t('booking.people.addTitle')}</h4>
      <TextField id="person-name" label={t('booking.people.name')} value={draft.name} maxLength={200} autoComplete="off" error={err('name')} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
      <TextField
        id="person-email"
        type="email"
        label={t('booking.people.email')}
        value={draft.email}
        maxLength={254}
        autoComplete="off"
        error={err('email')}
        onChange={(e) => setDraft({ ...draft, email: e.target.value })}
      />
      <TextField
        id="person-phone"
        type="tel"
        label={t('booking.people.phone')}
        hint={t('booking.people.phoneHint')}
        value={draft.phone}
        maxLength={40}
        autoComplete="off"
        error={err('phone')}
        onChange={(e) => setDraft({ ...draft, phone: e.target.value })}
      />
      <button type="submit" className="vdx-button" disabled={busy} data-testid="add-person-submit">
        {t('booking.people.add')}
      </button>
    </form>
  );
}
