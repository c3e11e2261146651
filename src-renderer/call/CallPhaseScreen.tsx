import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { Icon } from '../ui/icons';
import type { CallPhase, CallSession } from './call-session';
import { PinPrompt } from './PinPrompt';

/** The phases around the call itself: connecting, PIN, waiting room, ended, failed. */
export type AroundCallPhase = Exclude<CallPhase, { kind: 'in-call' }>;

/**
 * What the person sees before and after the call: one centred message (with the PIN prompt or a
 * "leave" button where they can act). `after` renders below the "ended" message.
 */
export function CallPhaseScreen({ phase, session, after, leave }: { phase: AroundCallPhase; session: CallSession; after?: ReactNode; leave: () => void }) {
  const { t } = useI18n();
  switch (phase.kind) {
    case 'pin-required':
      return (
        <div className="call-center">
          <PinPrompt guestPinRequired={phase.guestPinRequired} invalid={phase.invalid} onSubmit={(pin) => void session.submitPin(pin)} />
        </div>
      );
    case 'idle':
    case 'connecting':
      return (
        <div className="call-center" role="status" data-testid="call-connecting">
          <div className="spinner" aria-hidden="true" />
          <p>{t('call.connecting')}</p>
        </div>
      );
    case 'waiting-room':
      return (
        <div className="call-center" role="status" data-testid="call-waiting-room">
          <div className="spinner" aria-hidden="true" />
          <p>{t('call.waitingRoom')}</p>
          <button type="button" className="vdx-button danger" onClick={leave}>
            <Icon name="leave" /> {t('call.leave')}
          </button>
        </div>
      );
    case 'ended':
    case 'failed': {
      const text =
        phase.kind === 'failed'
          ? t('call.failed', { message: phase.message })
          : phase.reason === 'User initiated disconnect'
            ? t('call.ended')
            : t('call.endedBy', { reason: phase.reason });
      return (
        <div className="call-center" data-testid="call-ended">
          <p role="status" className={phase.kind === 'failed' ? 'vdx-error' : ''}>
            {text}
          </p>
          {after}
        </div>
      );
    }
  }
}
