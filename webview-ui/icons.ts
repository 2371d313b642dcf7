import { svg } from './dom';

/**
 * Small status icons drawn like VS Code's codicons (error, warning, pass), in the current text
 * colour: the stylesheet gives each place its theme colour. The page loads no icon font.
 */

export type IconName = 'error' | 'warning' | 'pass' | 'info';

const SIZE = 14;

export function icon(name: IconName): SVGSVGElement {
  const shape = SHAPES[name]();
  return svg('svg', { class: `icon icon-${name}`, width: SIZE, height: SIZE, viewBox: '0 0 16 16', 'aria-hidden': 'true' }, ...shape);
}

const SHAPES: Record<IconName, () => SVGElement[]> = {
  error: () => [svg('circle', { cx: 8, cy: 8, r: 6.5 }), svg('path', { d: 'M5.5 5.5l5 5M10.5 5.5l-5 5' })],
  warning: () => [svg('path', { d: 'M8 1.8l6.6 12H1.4z' }), svg('path', { d: 'M8 6.2v3.8M8 11.6v.4' })],
  pass: () => [svg('circle', { cx: 8, cy: 8, r: 6.5 }), svg('path', { d: 'M5 8.2l2.1 2.1L11.2 6' })],
  info: () => [svg('circle', { cx: 8, cy: 8, r: 6.5 }), svg('path', { d: 'M8 7.2v4M8 4.8v.4' })],
};
