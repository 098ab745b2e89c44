import { type ReactNode, useId } from 'react';

/**
 * A labelled select. The label names the select by `for`, not by wrapping it, so its
 * accessible name is the label alone ("Store"), not the label plus the chosen option.
 */
export function SelectField({
  label,
  value,
  onChange,
  children,
  inline = false,
  disabled = false,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  children: ReactNode;
  inline?: boolean;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className={inline ? 'field inline' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled}>
        {children}
      </select>
    </div>
  );
}
