import type { InputHTMLAttributes, ReactNode } from 'react';
import { fieldNotes } from './TextField';

export interface CheckboxFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'type' | 'aria-describedby'> {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
}

/** A native checkbox with its label beside it (the whole label toggles it) and an optional hint. */
export function CheckboxField({ id, label, hint, className, ...input }: CheckboxFieldProps) {
  const notes = fieldNotes({ hint, hintId: `${id}-hint`, errorId: `${id}-error` });
  return (
    <div className={className ? `vdx-field vdx-check ${className}` : 'vdx-field vdx-check'}>
      <input {...input} type="checkbox" id={id} aria-describedby={notes.describedBy} />
      <label htmlFor={id}>{label}</label>
      {notes.elements}
    </div>
  );
}
