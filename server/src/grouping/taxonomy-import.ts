/** The single place the grouping engine takes the category taxonomy from. */
export { type Category, categoriesCompatible } from '@truceline/shared';
