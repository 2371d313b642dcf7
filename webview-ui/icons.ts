import { svg } from './dom';

/**
 * Small icons drawn like VS Code's codicons (error, warning, pass, bell, debug-pause …), in the current
 * text colour: the stylesheet gives each place its theme colour. The page loads no icon font.
 */

export type IconName = 'error' | 'warning' | 'pass' | 'info' | 'bell' | 'pause' | 'sparkle' | 'terminal' | 'comment' | 'shield' | 'clock';

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
  bell: () => [svg('path', { d: 'M4 11.5V7a4 4 0 018 0v4.5l1.2 1.2H2.8zM6.6 14.2a1.5 1.5 0 002.8 0' })],
  pause: () => [svg('path', { d: 'M5.5 3.5v9M10.5 3.5v9' })],
  sparkle: () => [svg('path', { d: 'M8 1.8l1.5 4.7 4.7 1.5-4.7 1.5L8 14.2l-1.5-4.7L1.8 8l4.7-1.5z' })],
  terminal: () => [svg('rect', { x: 1.5, y: 2.5, width: 13, height: 11, rx: 1 }), svg('path', { d: 'M4.5 6.5l2 1.8-2 1.8M8.5 10.5h3' })],
  comment: () => [svg('path', { d: 'M2 3h12v8H8l-3 2.5V11H2z' })],
  shield: () => [svg('path', { d: 'M8 1.5l5.5 2v4c0 3.3-2.4 5.8-5.5 7-3.1-1.2-5.5-3.7-5.5-7v-4z' })],
  clock: () => [svg('circle', { cx: 8, cy: 8, r: 6.5 }), svg('path', { d: 'M8 4.5V8l2.5 1.8' })],
};
