import type { Category } from '@truceline/shared';
import { CATEGORY_STYLE } from './category-style';

/** A category's symbol on its colour; decorative, the label beside it names it. */
export function CategoryIcon({ category, size = 24 }: { category: Category; size?: number }) {
  const style = CATEGORY_STYLE[category];
  return (
    <svg width={size} height={size} viewBox="-4 -4 32 32" aria-hidden="true" focusable="false" className="category-icon">
      <circle cx="12" cy="12" r="15" fill={style.color} />
      <path d={style.path} fill="#fff" fillRule="evenodd" />
    </svg>
  );
}
