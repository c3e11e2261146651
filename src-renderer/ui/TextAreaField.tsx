import type { ReactNode, Ref, TextareaHTMLAttributes } from 'react';
import { fieldNotes } from './TextField';

export interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'aria-invalid' | 'aria-describedby'> {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  ref?: Ref<HTMLTextAreaElement>;
}

/** TextField's multi-line sibling: the same label, hint and error wiring. */
export function TextAreaField({ id, label, hint, error, className, ref, ...area }: TextAreaFieldProps) {
  const notes = fieldNotes({ hint, error, hintId: `${id}-hint`, errorId: `${id}-error` });
  return (
    <div className="vdx-field">
      <label className="vdx-label" htmlFor={id}>
        {label}
      </label>
      <textarea
        {...area}
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
