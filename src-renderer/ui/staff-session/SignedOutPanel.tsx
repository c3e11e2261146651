import { useEffect, useRef, type ReactNode } from 'react';
import type { SignedOutReason } from './useStaffSignIn';

/**
 * Shown when there is no sign-in: why, and the way to the sign-in page. Each UI words it in its
 * own translated texts; `children` go under the button (the management page's API-client link).
 */
export function SignedOutPanel({
  reason,
  texts,
  onSignIn,
  className,
  children,
}: {
  reason: SignedOutReason;
  texts: { title: string; intro: string; button: string; notice: Record<SignedOutReason, string> };
  onSignIn(): void;
  className?: string;
  children?: ReactNode;
}) {
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => button.current?.focus(), []);
  return (
    <section className={className ? `vdx-card ${className}` : 'vdx-card'} aria-labelledby="signed-out-title">
      <h2 id="signed-out-title">{texts.title}</h2>
      <p role="status" data-testid="signed-out-notice" className={reason === 'error' ? 'vdx-error' : undefined}>
        {texts.notice[reason]}
      </p>
      <p>{texts.intro}</p>
      <button ref={button} type="button" className="vdx-button primary" data-testid="sign-in" onClick={onSignIn}>
        {texts.button}
      </button>
      {children}
    </section>
  );
}
