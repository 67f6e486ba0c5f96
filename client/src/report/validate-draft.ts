import { ReportInput, type ReportInputDraft } from '@truceline/shared';
import { t } from '../i18n';
import { parseDistance } from './distance';
import type { DraftFields } from './draft-fields';

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

/**
 * What the schema cannot say well about the raw text: a distance that does not parse reaches it
 * as NaN ("expected number"), so the form names the box and shows what it accepts instead.
 */
export function distanceFieldErrors(f: DraftFields): string[] {
  if (f.positionMode !== 'bearing') return [];
  const boxes = [
    [f.distanceMin, t.distance.fromLabel],
    [f.distanceMax, t.distance.toLabel],
  ] as const;
  return boxes.filter(([text]) => Number.isNaN(parseDistance(text, f.distanceUnit))).map(([, label]) => t.distance.invalid(label));
}

/** Everything the form checks before a report may be saved: the shared schema, then the raw text. */
export function validateForm(f: DraftFields, draft: ReportInputDraft): FieldErrors {
  const errors = validateDraft(draft);
  const distance = distanceFieldErrors(f);
  if (distance.length > 0) errors.distance = distance;
  return errors;
}
