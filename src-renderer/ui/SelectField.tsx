import type { ReactNode, Ref, SelectHTMLAttributes } from 'react';
import { fieldNotes } from './TextField';

export interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'aria-describedby'> {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  options: ReadonlyArray<{ value: string; label: string }>;
  ref?: Ref<HTMLSelectElement>;
}

/** A labelled native select (keyboard and screen readers handle it as the platform does). */
export function SelectField({ id, label, hint, options, className, ref, ...select }: SelectFieldProps) {
  const notes = fieldNotes({ hint, hintId: `${id}-hint`, errorId: `${id}-error` });
  return (
    <div className="vdx-field">
      <label className="vdx-label" htmlFor={id}>
        {label}
      </label>
      <select {...select} id={id} ref={ref} className={className ? `vdx-select ${className}` : 'vdx-select'} aria-describedby={notes.describedBy}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {notes.elements}
    </div>
  );
}
