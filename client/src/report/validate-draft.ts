import { ReportInput, type ReportInputDraft } from '@truceline/shared';
import { t } from '../i18n';

/** Form areas that show messages; a schema path maps to the area that holds its input. */
export type FieldKey =
  | 'category'
  | 'observedAt'
  | 'observedUntil'
  | 'method'
  | 'assessment'
  | 'weapon'
  | 'count'
  | 'casualties'
  | 'confidence'
  | 'description'
  | 'position'
  | 'bearing'
  | 'distance'
  | 'form';

export type FieldErrors = Partial<Record<FieldKey, string[]>>;

function fieldOf(path: readonly PropertyKey[]): FieldKey {
  const head = String(path[0] ?? '');
  switch (head) {
    case 'category':
    case 'observedAt':
    case 'observedUntil':
    case 'method':
    case 'assessment':
    case 'weapon':
    case 'confidence':
    case 'description':
    case 'casualties':
      return head;
    case 'count':
    case 'countUnit':
    case 'countApprox':
      return 'count';
    case 'location':
    case 'observer':
      return 'position';
    case 'bearing':
      return 'bearing';
    case 'distanceM':
      return 'distance';
    default:
      return 'form';
  }
}

/**
 * Validates with the shared schema, the same one the server parses with, and files each message
 * under the form field it concerns. Empty result: the report is valid.
 */
export function validateDraft(draft: ReportInputDraft): FieldErrors {
  const result = ReportInput.safeParse(draft);
  if (result.success) return {};
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = fieldOf(issue.path);
    // A choice not made yet: zod would list every allowed value, which helps nobody in a field.
    if (issue.code !== 'custom' && issue.path.length === 1 && (draft as Record<string, unknown>)[String(issue.path[0])] === undefined) {
      (errors[key] ??= []).push(t.form.required);
      continue;
    }
    const sub = issue.path.length > 1 ? `${issue.path.slice(1).map(String).join('.')}: ` : '';
    const message = key === 'position' || key === 'bearing' || key === 'distance' || key === 'casualties' ? `${sub}${issue.message}` : issue.message;
    (errors[key] ??= []).push(message);
  }
  return errors;
}
