import type { Page } from 'playwright-core';

/** An element's box in CSS pixels, relative to the viewport. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One control as a finger meets it: what it is, and the box a tap on it may land in. */
export interface Target extends Box {
  what: string;
}

/** Whether two boxes share any area (touching edges do not overlap). */
export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Whether `inner` lies wholly inside `outer` (to a quarter pixel, for rounding). */
export function inside(inner: Box, outer: Box): boolean {
  const e = 0.25;
  return inner.x >= outer.x - e && inner.y >= outer.y - e && inner.x + inner.width <= outer.x + outer.width + e && inner.y + inner.height <= outer.y + outer.height + e;
}

/** The box of the first element `selector` matches, or undefined when none is rendered. */
export async function boxOf(page: Page, selector: string): Promise<Box | undefined> {
  return page.evaluate((s) => {
    const el = document.querySelector(s);
    if (!el) return undefined;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 ? { x: r.x, y: r.y, width: r.width, height: r.height } : undefined;
  }, selector);
}

/**
 * Every interactive element rendered now (in the page or inside a scrolled panel), with its hit
 * area: a form field wrapped in or named by a `<label>` is hit through the label too, so its area
 * is the union of both (a chip's radio is a transparent input over its label). Elements hidden
 * (display, visibility, zero size, `inert`) and the skip link parked off-screen are left out;
 * an inline text link inside a sentence is reported with `inline: true` so a caller can apply
 * the WCAG 2.5.8 inline exception to it and to nothing else.
 */
export async function interactiveTargets(page: Page): Promise<(Target & { inline: boolean })[]> {
  return page.evaluate(() => {
    const selector = [
      'a[href]', 'button', 'input:not([type="hidden"])', 'select', 'textarea', 'summary',
      '[role="button"]', '[role="link"]', '[role="checkbox"]', '[role="radio"]', '[role="switch"]', '[role="tab"]', '[role="option"]',
      '[tabindex]:not([tabindex="-1"])', '[contenteditable="true"]',
    ].join(',');
    const describe = (el: Element): string => {
      const label = (el as HTMLInputElement).labels?.[0]?.textContent ?? '';
      const name = (el.getAttribute('aria-label') ?? el.getAttribute('title') ?? (label || el.textContent) ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      return `${el.tagName.toLowerCase()}${cls}${(el as HTMLInputElement).type ? `[type=${(el as HTMLInputElement).type}]` : ''} "${name}"`;
    };
    const shown = (el: Element): boolean => {
      if (el.closest('[inert]')) return false;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') return false;
      // Elements with the visually-hidden pattern (opacity 0 over a label) count through the label.
      return el.getClientRects().length > 0;
    };
    const out: { what: string; x: number; y: number; width: number; height: number; inline: boolean }[] = [];
    for (const el of document.querySelectorAll(selector)) {
      if (!shown(el)) continue;
      let rect = el.getBoundingClientRect();
      const labels = (el as HTMLInputElement).labels ? [...((el as HTMLInputElement).labels ?? [])] : [];
      for (const label of labels) {
        const l = label.getBoundingClientRect();
        if (l.width === 0 || l.height === 0) continue;
        const x = Math.min(rect.x, l.x);
        const y = Math.min(rect.y, l.y);
        rect = new DOMRect(x, y, Math.max(rect.right, l.right) - x, Math.max(rect.bottom, l.bottom) - y);
      }
      if (rect.width === 0 || rect.height === 0) continue;
      // Parked off-screen until focused (the skip link): measured on its own when focused.
      if (rect.right <= 0 || rect.left >= document.documentElement.scrollWidth) continue;
      // Inline: a link inside running text (its parent's text is more than the link's own).
      const parentText = (el.parentElement?.textContent ?? '').trim();
      const inline = el.tagName === 'A' && getComputedStyle(el).display === 'inline' && parentText.length > (el.textContent ?? '').trim().length;
      out.push({ what: describe(el), x: rect.x, y: rect.y, width: rect.width, height: rect.height, inline });
    }
    return out;
  });
}

/** The targets smaller than `min`×`min` CSS pixels, as readable lines (empty when none are). */
export function tooSmall(targets: readonly Target[], min = 44): string[] {
  // Half a pixel of slack: boxes come out at fractions (borders, font metrics) that round to 44.
  return targets.filter((t) => t.width < min - 0.5 || t.height < min - 0.5).map((t) => `${t.what}: ${t.width.toFixed(1)}×${t.height.toFixed(1)}`);
}
