/**
 * The chart's layout arithmetic, kept pure so it can be tested without drawing: scales, tick values, the bin width
 * of a timeline, where a shaded window falls, and labels kept apart.
 */

/** A linear map from a domain to a range (pixels); a domain of zero width maps everything to the range's start. */
export function linearScale(
  [d0, d1]: readonly [number, number],
  [r0, r1]: readonly [number, number],
): (value: number) => number {
  const span = d1 - d0;
  return (value) => (span === 0 ? r0 : r0 + ((value - d0) / span) * (r1 - r0));
}

/**
 * A round step near `roughStep`: 1, 2 or 5 times a power of ten (the next one up). With `integer`, at least 1.
 */
export function niceStep(roughStep: number, integer = false): number {
  if (!(roughStep > 0) || !Number.isFinite(roughStep)) return 1;
  const power = 10 ** Math.floor(Math.log10(roughStep));
  const mantissa = roughStep / power;
  // A small tolerance, so that 0.3 / 3 (0.09999…) is taken as 0.1 rather than rounded up to 0.2.
  const nice = mantissa <= 1 + 1e-9 ? 1 : mantissa <= 2 + 1e-9 ? 2 : mantissa <= 5 + 1e-9 ? 5 : 10;
  const step = nice * power;
  return integer ? Math.max(1, step) : step;
}

/**
 * Tick values from 0 up to the first round value at or above `max`, about `count` intervals apart: the last tick is
 * the axis's top, so nothing is drawn past it. Values are rounded so that 0.1 + 0.2 prints as 0.3.
 */
export function niceTicks(max: number, count = 5, integer = false): number[] {
  const top = max > 0 && Number.isFinite(max) ? max : 1;
  const step = niceStep(top / count, integer);
  const steps = Math.ceil(top / step - 1e-9);
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  return Array.from({ length: steps + 1 }, (_, i) => Number((i * step).toFixed(decimals)));
}

/**
 * Sums a per-minute series into bins of `width` minutes, their edges at `offset` + k × `width` (a first, shorter bin
 * before `offset`); the last bin may be shorter too.
 */
export function rebin(
  perMinute: readonly number[],
  width: number,
  offset = 0,
): { from: number; to: number; count: number }[] {
  const bins: { from: number; to: number; count: number }[] = [];
  const first = offset % width;
  for (let from = 0; from < perMinute.length; ) {
    const to = Math.min(perMinute.length, from === 0 && first > 0 ? first : from + width);
    let count = 0;
    for (let minute = from; minute < to; minute++) count += perMinute[minute] ?? 0;
    bins.push({ from, to, count });
    from = to;
  }
  return bins;
}

/**
 * Whether binned counts zig-zag, as too narrow bins of a steady but sparse series do: a single empty bin between two
 * that are not, in more than a tenth of the bins. A worker backing off (longer and longer silences) does not.
 */
export function zigZags(counts: readonly number[]): boolean {
  let lone = 0;
  for (let i = 1; i + 1 < counts.length; i++) {
    if (counts[i] === 0 && (counts[i - 1] ?? 0) > 0 && (counts[i + 1] ?? 0) > 0) lone++;
  }
  return lone > 0 && lone > counts.length / 10;
}

/** Bin widths a timeline may use, in minutes. */
export const BIN_MINUTES = [1, 2, 3, 5, 10, 15, 30] as const;

/** The bin widths whose edges can fall on both ends of a window (its length a whole number of bins). */
export function binsAlignedWith(
  window: { readonly fromMinute: number; readonly toMinute: number } | undefined,
  candidates: readonly number[] = BIN_MINUTES,
): number[] {
  if (!window) return [...candidates];
  const aligned = candidates.filter((width) => (window.toMinute - window.fromMinute) % width === 0);
  return aligned.length > 0 ? aligned : [...candidates];
}

/**
 * The narrowest bin width (from `candidates`) at which no series zig-zags: a worker that sends every two minutes is
 * drawn at its rate (0.5 a minute), not as 1, 0, 1, 0. Returns the widest candidate if none fits.
 */
export function chooseBinMinutes(
  series: readonly (readonly number[])[],
  candidates: readonly number[] = BIN_MINUTES,
  offset = 0,
): number {
  for (const width of candidates) {
    if (!series.some((perMinute) => zigZags(rebin(perMinute, width, offset).map((bin) => bin.count)))) return width;
  }
  return candidates[candidates.length - 1] ?? 1;
}

/** Where a time window (minutes) falls on an x scale, clipped to the plot; null if it is outside it. */
export function shadedSpan(
  x: (minute: number) => number,
  window: { readonly fromMinute: number; readonly toMinute: number },
  domain: readonly [number, number],
): { x: number; width: number } | null {
  const from = Math.max(domain[0], window.fromMinute);
  const to = Math.min(domain[1], window.toMinute);
  if (!(to > from)) return null;
  return { x: x(from), width: x(to) - x(from) };
}

/**
 * Moves label positions (y, pixels) apart so that no two are closer than `gap`, each as near its wish as it can
 * be, within [min, max]. Returns the positions in the order given.
 */
export function spreadLabels(wanted: readonly number[], gap: number, min: number, max: number): number[] {
  const order = wanted.map((y, index) => ({ y, index })).sort((a, b) => a.y - b.y || a.index - b.index);
  const placed = order.map((item) => Math.min(max, Math.max(min, item.y)));
  for (let i = 1; i < placed.length; i++) placed[i] = Math.max(placed[i] as number, (placed[i - 1] as number) + gap);
  // Pushed past the bottom: shift the run back up.
  const overflow = (placed[placed.length - 1] ?? max) - max;
  if (overflow > 0) {
    placed[placed.length - 1] = max;
    for (let i = placed.length - 2; i >= 0; i--)
      placed[i] = Math.min(placed[i] as number, (placed[i + 1] as number) - gap);
  }
  const result = new Array<number>(wanted.length);
  order.forEach((item, k) => {
    result[item.index] = placed[k] as number;
  });
  return result;
}

/** A count with thousands separators: 4496 → "4,496". */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A tick value as printed: thousands separators, decimals only where the value has them. */
export function formatTick(value: number): string {
  return Number.isInteger(value) ? formatCount(value) : String(value);
}
