import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import type { StaffUser } from '../ui/staff-session';
import type { BookingApi } from './booking-api';
import { LoadStatus } from './LoadStatus';
import { draftFromMeeting, patchBody, type MeetingDraft } from './meeting-draft';
import { MeetingForm } from './MeetingForm';
import { useDraftSubmit } from './useDraftSubmit';
import { useMeetingWithInfo } from './useMeetingWithInfo';
import { ViewHeading } from './ViewHeading';

/**
 * Edit or move a meeting (`PATCH /videoapi/v2/meetings/{uuid}`). While its room is not prepared
 * everything the form shows may change; once it is ready only the end time (the API's rule,
 * shown before the person tries); after that nothing.
 */
export function EditMeeting({ api, user, orgWide, uuid, onSaved, onBack }: { api: BookingApi; user: StaffUser; orgWide: boolean; uuid: string; onSaved(): void; onBack(): void }) {
  const { t } = useI18n();
  const { state, reload } = useMeetingWithInfo(api, uuid);
  const [draft, setDraft] = useState<MeetingDraft>();

  useEffect(() => {
    if (state.kind === 'ok') setDraft((d) => d ?? draftFromMeeting(state.value.meeting, user.email));
  }, [state, user.email]);

  const status = state.kind === 'ok' ? state.value.info.provisionStatus : undefined;
  const endOnly = status === 'PROVISIONED_OK';
  const changeable = status === 'AWAITS_PROVISION' || endOnly;

  const { errors, failure, busy, attempt, submit } = useDraftSubmit('edit', 'change', async (d, checked) => {
    await api.patchMeeting(uuid, patchBody(d, checked, { orgWide, endOnly, myEmail: user.email }));
    onSaved();
  });

  return (
    <section aria-labelledby="edit-title" className="booking-view">
      <ViewHeading id="edit-title">{t('booking.edit.title')}</ViewHeading>
      <LoadStatus state={state} onRetry={reload} />
      {state.kind === 'ok' && !changeable ? (
        <>
          <p className="vdx-error" role="alert">
            {t('booking.error.notChangeable')}
          </p>
          <button type="button" className="vdx-button" onClick={onBack}>
            {t('booking.edit.back')}
          </button>
        </>
      ) : null}
      {state.kind === 'ok' && changeable && draft ? (
        <MeetingForm
          mode="edit"
          draft={draft}
          onChange={setDraft}
          errors={errors}
          attempt={attempt}
          templates={[]}
          pool={undefined}
          orgWide={orgWide}
          endOnly={endOnly}
          busy={busy}
          failure={failure}
          submitLabel={t('booking.edit.submit')}
          onSubmit={() => draft && void submit(draft)}
          onCancel={onBack}
        />
      ) : null}
    </section>
  );
}
