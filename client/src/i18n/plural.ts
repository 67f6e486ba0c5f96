/**
 * A message in each plural form a language has (CLDR categories: English has `one` and
 * `other`; Ukrainian `one`, `few`, `many` and `other`). `{n}` stands for the number, formatted
 * for the language. `other` is required: it is the form every language has.
 */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const rules = new Map<string, Intl.PluralRules>();
const numbers = new Map<string, Intl.NumberFormat>();

/** The form of `forms` that `n` takes in `locale`, by the CLDR rules the browser ships (`Intl.PluralRules`). */
export function plural(locale: string, n: number, forms: PluralForms): string {
  let rule = rules.get(locale);
  if (!rule) rules.set(locale, (rule = new Intl.PluralRules(locale)));
  let number = numbers.get(locale);
  if (!number) numbers.set(locale, (number = new Intl.NumberFormat(locale)));
  return (forms[rule.select(n)] ?? forms.other).replaceAll('{n}', number.format(n));
}
