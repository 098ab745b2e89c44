/** Name and email or phone, as both forms ask them; the shared customer schema checks them. */
export interface Contact {
  name: string;
  email: string;
  phone: string;
}

export const emptyContact: Contact = { name: '', email: '', phone: '' };

/** The customer object the API takes: empty fields left out. */
export function contactBody(c: Contact) {
  return {
    name: c.name.trim(),
    ...(c.email.trim() ? { email: c.email.trim() } : {}),
    ...(c.phone.trim() ? { phone: c.phone.trim() } : {}),
  };
}

export function ContactFields({
  value,
  onChange,
  errors,
  idPrefix = 'contact',
}: {
  value: Contact;
  onChange: (c: Contact) => void;
  errors: Record<string, string>;
  /** Ids are `<idPrefix>-name` etc.: two forms on one page need two prefixes. */
  idPrefix?: string;
}) {
  const field = (name: keyof Contact, label: string, type: string, autoComplete: string) => {
    const error = errors[`customer.${name}`] ?? errors[name];
    const id = `${idPrefix}-${name}`;
    return (
      <div className="stack">
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          type={type}
          autoComplete={autoComplete}
          value={value[name]}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => onChange({ ...value, [name]: e.target.value })}
        />
        {error && (
          <p id={`${id}-error`} className="error">
            {error}
          </p>
        )}
      </div>
    );
  };
  return (
    <>
      {field('name', 'Your name', 'text', 'name')}
      {field('email', 'Email (or a phone number below)', 'email', 'email')}
      {field('phone', 'Phone', 'tel', 'tel')}
    </>
  );
}

/** Zod issues as `path -> message`, the way the server reports them too. */
export function issuesByPath(issues: { path: PropertyKey[]; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) out[issue.path.map(String).join('.')] ??= issue.message;
  return out;
}
