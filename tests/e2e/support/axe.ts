import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, ImpactValue } from 'axe-core';
import type { Page } from 'playwright-core';

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Impacts that fail a screen: what blocks or seriously hinders someone using assistive technology. */
const FAILING: readonly ImpactValue[] = ['serious', 'critical'];

/**
 * Rules that fail a screen whatever their impact (axe rates them "moderate"): without a main
 * landmark and a first-level heading a screen-reader user cannot jump to the content.
 */
const ALWAYS_FAILING = ['landmark-one-main', 'page-has-heading-one'];

/** One violation as a failure message shows it: the rule, its impact, and the selectors of its nodes. */
export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core over the page as it is drawn now and returns the violations that fail it. The
 * script is injected as page content, so the context needs `bypassCSP` (the app allows
 * scripts from itself only).
 */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.addScriptTag({ content: AXE_SOURCE });
  const results = await page.evaluate(
    () => (window as unknown as { axe: { run(ctx: Document, options: object): Promise<AxeResults> } }).axe.run(document, { resultTypes: ['violations'] }),
  );
  return results.violations
    .filter((v) => (v.impact && FAILING.includes(v.impact)) || ALWAYS_FAILING.includes(v.id))
    .map((v) => ({ id: v.id, impact: v.impact ?? 'unknown', help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}
