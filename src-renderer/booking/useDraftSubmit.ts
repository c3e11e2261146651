import { useState } from 'react';
import type { MessageKey } from '../i18n/translate';
import { failureMessage, type FailedAction } from './booking-errors';
import { checkDraft, type CheckedDraft, type DraftErrors, type MeetingDraft } from './meeting-draft';

/**
 * Submitting the book / edit form: check the draft (errors at the fields), send it, and word a
 * refusal. `attempt` counts refused submits so the form can move the focus to what to fix.
 */
export function useDraftSubmit(kind: 'create' | 'edit', action: FailedAction, send: (draft: MeetingDraft, checked: CheckedDraft) => Promise<void>) {
  const [errors, setErrors] = useState<DraftErrors>({});
  const [failure, setFailure] = useState<MessageKey>();
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);

  const submit = async (draft: MeetingDraft) => {
    const checked = checkDraft(draft, { kind, now: new Date() });
    setFailure(undefined);
    if (!checked.ok) {
      setErrors(checked.errors);
      setAttempt((n) => n + 1);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await send(draft, checked.value);
    } catch (error) {
      setFailure(failureMessage(error, action));
      setAttempt((n) => n + 1);
      setBusy(false);
    }
  };
  return { errors, failure, busy, attempt, submit };
}
