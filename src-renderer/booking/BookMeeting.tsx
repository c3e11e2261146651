import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/translate';
import type { BookingApi, Meeting } from './booking-api';
import { applyTemplate, createBody, guestPinChange, newDraft, secureRandom, type MeetingDraft } from './meeting-draft';
import { useDraftSubmit } from './useDraftSubmit';
import { MeetingForm } from './MeetingForm';
import { useOrganisationSetup } from './useOrganisationSetup';
import { ViewHeading } from './ViewHeading';

/**
 * Book a meeting: the form, checked here, then `POST /videoapi/v2/meetings`. The organisation's
 * templates and pool are read each time the form opens (an admin may have changed them).
 */
export function BookMeeting({
  api,
  orgWide,
  organisation,
  onBooked,
  onBack,
}: {
  api: BookingApi;
  orgWide: boolean;
  organisation: string;
  onBooked(meeting: Meeting, notice: MessageKey): void;
  onBack(): void;
}) {
  const { t } = useI18n();
  const setup = useOrganisationSetup(api, organisation);
  const templates = setup.kind === 'ok' ? setup.value.templates : [];
  const pool = setup.kind === 'ok' ? setup.value.pool : undefined;
  const [draft, setDraft] = useState<MeetingDraft>(() => newDraft(new Date(), templates.find((x) => x.isDefaultTemplate)));
  const { errors, failure, busy, attempt, submit } = useDraftSubmit('create', 'book', async (d, checked) => {
    const meeting = await api.createMeeting(createBody(d, checked, { orgWide }));
    // Booked: from here on a failure must not look like "not booked" (a retry would book twice).
    const pinsMatched = d.kind === 'POOL' || (await matchGuestPin(api, meeting.uuid, d.guestPinRequired).then(() => true, () => false));
    onBooked(meeting, pinsMatched ? 'booking.booked' : 'booking.bookedPinFailed');
  });
  const [touched, setTouched] = useState(false);
  const change = (next: MeetingDraft) => {
    setTouched(true);
    setDraft(next);
  };
  // The templates may arrive after the form: their defaults count until the person changes something.
  const defaultTemplate = templates.find((x) => x.isDefaultTemplate);
  useEffect(() => {
    if (!touched && defaultTemplate) setDraft((d) => applyTemplate(d, defaultTemplate));
  }, [defaultTemplate, touched]);

  return (
    <section aria-labelledby="book-title" className="booking-view">
      <ViewHeading id="book-title">{t('booking.book.title')}</ViewHeading>
      <MeetingForm
        mode="create"
        draft={draft}
        onChange={change}
        errors={errors}
        attempt={attempt}
        templates={templates}
        pool={pool}
        orgWide={orgWide}
        endOnly={false}
        busy={busy}
        failure={failure}
        submitLabel={t('booking.book.submit')}
        onSubmit={() => void submit(draft)}
        onCancel={onBack}
      />
    </section>
  );
}

/** Gives the new meeting's room a guest PIN or none, as the booker chose (see guestPinChange). */
async function matchGuestPin(api: BookingApi, uuid: string, wanted: boolean): Promise<void> {
  const change = guestPinChange(wanted, await api.schedulingInfo(uuid), secureRandom);
  if (change) await api.patchMeeting(uuid, change);
}
