import type { MetricPoint } from '../../src/shared/viewModels';
import { svg } from '../dom';
import { score } from '../format';

/** An inline SVG line chart of scores by step, with a dashed baseline; colours come from the stylesheet. */

export interface ChartInput {
  points: MetricPoint[];
  baseline: number | null;
  width: number;
  height: number;
}

const MARGIN = { left: 44, right: 10, top: 8, bottom: 20 };

interface Scale {
  x(step: number): number;
  y(value: number): number;
}

export function lineChart({ points, baseline, width, height }: ChartInput): SVGSVGElement {
  const sorted = [...points].sort((a, b) => a.step - b.step || order(a) - order(b));
  const values = sorted.map((p) => p.score).concat(baseline === null ? [] : [baseline]);
  const [low, high] = paddedRange(values);
  const maxStep = Math.max(1, ...sorted.map((p) => p.step));
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const scale: Scale = {
    x: (step) => MARGIN.left + (step / maxStep) * plotW,
    y: (value) => MARGIN.top + (1 - (value - low) / (high - low)) * plotH,
  };
  const chart = svg('svg', { class: 'chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': describe(sorted, baseline) });
  chart.append(...axes(scale, Math.min(...values), Math.max(...values), maxStep, width, height));
  if (baseline !== null) chart.append(svg('line', { class: 'baseline-line', x1: MARGIN.left, x2: width - MARGIN.right, y1: scale.y(baseline), y2: scale.y(baseline), 'stroke-dasharray': '4 3' }));
  if (sorted.length > 1) chart.append(svg('polyline', { class: 'score-line', points: sorted.map((p) => `${r(scale.x(p.step))},${r(scale.y(p.score))}`).join(' ') }));
  for (const p of sorted) {
    chart.append(svg('circle', { class: `point point-${p.source}`, cx: r(scale.x(p.step)), cy: r(scale.y(p.score)), r: p.source === 'observation' ? 3 : 4 }, svg('title', {}, `step ${p.step}: ${score(p.score)} (${p.source})`)));
  }
  return chart;
}

/** baseline first, then observations, then the final score at the same step */
function order(p: MetricPoint): number {
  return p.source === 'baseline' ? 0 : p.source === 'observation' ? 1 : 2;
}

function paddedRange(values: number[]): [number, number] {
  const low = Math.min(...values);
  const high = Math.max(...values);
  const pad = high > low ? (high - low) * 0.12 : Math.max(Math.abs(high) * 0.05, 1);
  return [low - pad, high + pad];
}

/** Axes labelled with the lowest and highest score, where they are. */
function axes(scale: Scale, lowest: number, highest: number, maxStep: number, width: number, height: number): SVGElement[] {
  const bottom = height - MARGIN.bottom;
  const ticks = highest > lowest ? [highest, lowest] : [highest];
  return [
    svg('line', { class: 'axis', x1: MARGIN.left, x2: width - MARGIN.right, y1: bottom, y2: bottom }),
    svg('line', { class: 'axis', x1: MARGIN.left, x2: MARGIN.left, y1: MARGIN.top, y2: bottom }),
    ...ticks.map((v) => svg('line', { class: 'grid', x1: MARGIN.left - 3, x2: width - MARGIN.right, y1: r(scale.y(v)), y2: r(scale.y(v)) })),
    ...ticks.map((v) => svg('text', { class: 'tick', x: MARGIN.left - 5, y: r(scale.y(v)) + 3, 'text-anchor': 'end' }, score(v))),
    svg('text', { class: 'tick', x: MARGIN.left, y: height - 5, 'text-anchor': 'start' }, 'step 0'),
    svg('text', { class: 'tick', x: width - MARGIN.right, y: height - 5, 'text-anchor': 'end' }, String(maxStep)),
  ];
}

function describe(points: MetricPoint[], baseline: number | null): string {
  const list = points.map((p) => `step ${p.step} ${score(p.score)}`).join(', ');
  return `Scores by step: ${list || 'none'}${baseline === null ? '' : `; baseline ${score(baseline)}`}`;
}

function r(value: number): number {
  return Math.round(value * 10) / 10;
}
