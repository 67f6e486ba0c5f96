import type { FieldKey } from './validate-draft';

/** The id of a field's message list: its inputs point at it with `aria-describedby`. */
export const errorIdOf = (key: FieldKey): string => `report-error-${key}`;

/**
 * Aria attributes of an input whose field has messages: marked invalid and described by them.
 * The form's summary alert announces a failed send; these are read when the input gets focus.
 */
export function invalidProps(key: FieldKey, messages: readonly string[] | undefined): { 'aria-invalid'?: true; 'aria-describedby'?: string } {
  return messages && messages.length > 0 ? { 'aria-invalid': true, 'aria-describedby': errorIdOf(key) } : {};
}

/** Validation messages of one field, shown beside it. */
export function FieldErrorList({ messages, field }: { messages: readonly string[] | undefined; field?: FieldKey }) {
  if (!messages || messages.length === 0) return null;
  return (
    <ul className="field-errors" id={field && errorIdOf(field)}>
      {messages.map((m) => (
        <li key={m}>{m}</li>
      ))}
    </ul>
  );
}
