import { CATEGORIES } from '@truceline/shared';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { CATEGORY_STYLE } from '../report/category-style';

const SIZE = 28;

/** Map symbol image name of a category. */
export function categoryImage(category: string): string {
  return `category-${category}`;
}

/**
 * Draws each category's symbol (the same paths as the form's icons) into an image the map can
 * use; generated in the browser, so no sprite sheet is fetched.
 */
export function addCategoryImages(map: MapLibreMap): void {
  const ratio = Math.min(2, Math.max(1, Math.round(window.devicePixelRatio || 1)));
  const canvas = document.createElement('canvas');
  canvas.width = SIZE * ratio;
  canvas.height = SIZE * ratio;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return;
  for (const category of CATEGORIES) {
    const name = categoryImage(category);
    if (map.hasImage(name)) continue;
    const style = CATEGORY_STYLE[category];
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, SIZE, SIZE);
    ctx.beginPath();
    ctx.arc(SIZE / 2, SIZE / 2, SIZE / 2 - 1.5, 0, Math.PI * 2);
    ctx.fillStyle = style.color;
    ctx.fill();
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = '#ffffff';
    ctx.stroke();
    ctx.translate(5, 5);
    ctx.scale(18 / 24, 18 / 24);
    ctx.fillStyle = '#ffffff';
    ctx.fill(new Path2D(style.path), 'evenodd');
    map.addImage(name, ctx.getImageData(0, 0, canvas.width, canvas.height), { pixelRatio: ratio });
  }
}
