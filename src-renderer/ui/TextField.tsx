import type { InputHTMLAttributes, ReactNode, Ref } from 'react';

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'aria-invalid' | 'aria-describedby'> {
  id: string;
  label: ReactNode;
  /** Help under the field, read out with it. */
  hint?: ReactNode;
  /** What is wrong with the value: marks the field invalid, is announced, and is read out with it. */
  error?: ReactNode;
  /** Ids of the hint and error paragraphs (default `{id}-hint`, `{id}-error`). */
  hintId?: string;
  errorId?: string;
  ref?: Ref<HTMLInputElement>;
}

/**
 * One labelled text input with its hint and error, the way every form of the UIs shows them: the
 * label is the input's, the hint and the error describe it (`aria-describedby`), and an error marks
 * it `aria-invalid` and is announced (`role="alert"`).
 */
export function TextField({ id, label, hint, error, hintId = `${id}-hint`, errorId = `${id}-error`, className, ref, ...input }: TextFieldProps) {
  const notes = fieldNotes({ hint, error, hintId, errorId });
  return (
    <div className="vdx-field">
      <label className="vdx-label" htmlFor={id}>
        {label}
      </label>
      <input
        {...input}
        id={id}
        ref={ref}
        className={className ? `vdx-input ${className}` : 'vdx-input'}
        aria-invalid={notes.invalid}
        aria-describedby={notes.describedBy}
      />
      {notes.elements}
    </div>
  );
}

/**
 * A field's hint and error: the paragraphs to render under the control, and the
 * `aria-describedby` / `aria-invalid` values that tie them to it. Shared by every field kind.
 */
export function fieldNotes({ hint, error, hintId, errorId }: { hint?: ReactNode; error?: ReactNode; hintId: string; errorId: string }): {
  invalid: boolean;
  describedBy: string | undefined;
  elements: ReactNode;
} {
  const hasHint = hint !== undefined && hint !== null && hint !== false;
  const hasError = error !== undefined && error !== null && error !== false;
  const describedBy = [hasHint ? hintId : null, hasError ? errorId : null].filter(Boolean).join(' ');
  return {
    invalid: hasError,
    describedBy: describedBy || undefined,
    elements: (
      <>
        {hasHint ? (
          <p id={hintId} className="vdx-hint">
            {hint}
          </p>
        ) : null}
        {hasError ? (
          <p id={errorId} className="vdx-error" role="alert">
            {error}
          </p>
        ) : null}
      </>
    ),
  };
}
