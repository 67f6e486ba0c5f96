/**
 * The form names are searched and compared in: case, accents and apostrophes ignored, hyphens
 * and runs of spaces as one space ("Mar'yinka" ~ "maryinka", "Ivano-Frankivsk" ~ "ivano frankivsk").
 */
export function searchKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’ʼ`‘]/g, '')
    .replace(/[\s\-‐–]+/g, ' ')
    .trim();
}
