// Form fields that show, beside themselves, what the API said about them.
import type { ComponentChildren } from 'preact';
import type { FieldErrors } from '../api/errors';

interface Common {
  id: string;
  label: string;
  // The API's field path whose errors this field shows ("paymentPage.header").
  name: string;
  errors: FieldErrors;
  hint?: string | undefined;
}

function describedBy(c: Common, hasError: boolean): string | undefined {
  const ids = [c.hint ? `${c.id}-hint` : '', hasError ? `${c.id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

export function FieldMessages({ c }: { c: Common }) {
  const reasons = c.errors.get(c.name);
  return (
    <>
      {c.hint && (
        <p class="hint" id={`${c.id}-hint`}>
          {c.hint}
        </p>
      )}
      {reasons && (
        <p class="field-error" id={`${c.id}-error`} data-field={c.name}>
          {reasons.join('; ')}
        </p>
      )}
    </>
  );
}

type TextProps = Common & {
  value: string;
  onInput: (v: string) => void;
  type?: string;
  multiline?: boolean;
  autocomplete?: string;
  list?: string;
  required?: boolean;
  placeholder?: string;
};

export function TextField(p: TextProps) {
  const invalid = p.errors.has(p.name);
  const shared = {
    id: p.id,
    name: p.name,
    value: p.value,
    'aria-invalid': invalid ? ('true' as const) : undefined,
    'aria-describedby': describedBy(p, invalid),
    onInput: (e: Event) => p.onInput((e.currentTarget as HTMLInputElement).value),
    required: p.required,
    placeholder: p.placeholder,
  };
  return (
    <div class={`field${invalid ? ' invalid' : ''}`}>
      <label for={p.id}>{p.label}</label>
      {p.multiline ? (
        <textarea rows={4} {...shared} />
      ) : (
        <input type={p.type ?? 'text'} autoComplete={p.autocomplete ?? 'off'} list={p.list} {...shared} />
      )}
      <FieldMessages c={p} />
    </div>
  );
}

type SelectProps<V extends string> = Common & {
  value: V;
  options: readonly { value: V; label: string }[];
  onChange: (v: V) => void;
};

export function SelectField<V extends string>(p: SelectProps<V>) {
  const invalid = p.errors.has(p.name);
  return (
    <div class={`field${invalid ? ' invalid' : ''}`}>
      <label for={p.id}>{p.label}</label>
      <select
        id={p.id}
        name={p.name}
        value={p.value}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={describedBy(p, invalid)}
        onChange={(e) => p.onChange((e.currentTarget as HTMLSelectElement).value as V)}
      >
        {p.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldMessages c={p} />
    </div>
  );
}

type CheckProps = Common & { checked: boolean; onChange: (v: boolean) => void };

export function CheckField(p: CheckProps) {
  const invalid = p.errors.has(p.name);
  return (
    <div class={`field check${invalid ? ' invalid' : ''}`}>
      <input
        type="checkbox"
        id={p.id}
        name={p.name}
        checked={p.checked}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={describedBy(p, invalid)}
        onChange={(e) => p.onChange((e.currentTarget as HTMLInputElement).checked)}
      />
      <label for={p.id}>{p.label}</label>
      <FieldMessages c={p} />
    </div>
  );
}

/** Choices is a fieldset of radio buttons or checkboxes under one legend. */
export function Choices(p: Common & { children: ComponentChildren }) {
  const invalid = p.errors.has(p.name);
  return (
    <fieldset
      class={`choices${invalid ? ' invalid' : ''}`}
      id={p.id}
      aria-describedby={describedBy(p, invalid)}
      aria-invalid={invalid ? 'true' : undefined}
    >
      <legend>{p.label}</legend>
      <div class="choice-list">{p.children}</div>
      <FieldMessages c={p} />
    </fieldset>
  );
}

export function Radio<V extends string>(p: {
  group: string;
  value: V;
  current: V;
  label: string;
  onChange: (v: V) => void;
}) {
  const id = `${p.group}-${p.value}`;
  return (
    <label class="choice" for={id}>
      <input
        type="radio"
        id={id}
        name={p.group}
        value={p.value}
        checked={p.current === p.value}
        onChange={() => p.onChange(p.value)}
      />
      {p.label}
    </label>
  );
}
