import { en } from './en';

/** The active catalogue. One place to switch language once a second catalogue exists. */
export const t = en;
