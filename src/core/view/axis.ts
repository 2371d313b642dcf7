import type { AxisView } from '../../shared/viewModels';

/**
 * The y-axis of the metrics chart on the real scale: the values' range padded by a tenth of it
 * on each side, never narrower than ±1 % of the values (a 0.0003 difference at 0.97 stays small),
 * not below zero when every value is positive; ticks at round values, labelled as written.
 */

const PAD = 0.1;
/** the narrowest half-range, as a part of the values' size */
const MIN_RELATIVE_HALF = 0.01;
/** the narrowest half-range when the values are all zero */
const MIN_ABSOLUTE_HALF = 0.01;
const TARGET_TICKS = 4;

export function axisFor(values: readonly number[]): AxisView | null {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return null;
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const mid = (min + max) / 2;
  const size = Math.max(Math.abs(min), Math.abs(max));
  const half = Math.max((max - min) / 2 + (max - min) * PAD, size > 0 ? size * MIN_RELATIVE_HALF : MIN_ABSOLUTE_HALF);
  const low = min >= 0 ? Math.max(0, mid - half) : mid - half;
  const high = mid + half;
  return { low: tidy(low), high: tidy(high), ticks: ticksFor(low, high) };
}

function ticksFor(low: number, high: number): AxisView['ticks'] {
  const step = niceStep((high - low) / TARGET_TICKS);
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const ticks: AxisView['ticks'] = [];
  for (let k = Math.ceil(low / step - 1e-9); k * step <= high + step * 1e-9; k++) {
    const value = Number((k * step).toFixed(decimals));
    ticks.push({ value, label: value.toFixed(decimals) });
  }
  return ticks;
}

/** 1, 2 or 5 times a power of ten, near `raw`. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  const nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
  return nice * power;
}

/** Rounds away floating-point noise (0.1 + 0.2) without changing what the axis means. */
function tidy(value: number): number {
  return Number(value.toPrecision(12));
}
