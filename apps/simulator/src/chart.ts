import {
  binsAlignedWith,
  chooseBinMinutes,
  formatCount,
  formatTick,
  linearScale,
  niceTicks,
  rebin,
  shadedSpan,
  spreadLabels,
} from './chart-layout.js';
import type { Measurement } from './metrics.js';
import type { Scenario } from './scenarios.js';

/** Okabe–Ito colours (told apart with any colour vision), one a variant, with a dash pattern for lines as well. */
export const VARIANT_STYLE: Readonly<Record<string, { color: string; dash: string; label: string }>> = {
  legacy: { color: '#D55E00', dash: '', label: 'legacy (today)' },
  hotfix: { color: '#E69F00', dash: '7 4', label: 'hotfix (phase 1, throttle)' },
  optimized: { color: '#0072B2', dash: '', label: 'optimized (phase 2, scheduler)' },
  'fleet budget': { color: '#009E73', dash: '2 3', label: 'fleet budget (optimized, one budget for the fleet)' },
};
const OTHER = { color: '#777777', dash: '', label: '' };
const style = (variant: string) => VARIANT_STYLE[variant] ?? { ...OTHER, label: variant };

const WIDTH = 1040;
const MARGIN = 20;
const FONT = 'Helvetica, Arial, sans-serif';
const INK = '#222222';
const MUTED = '#555555';
const GRID = '#dddddd';

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n = (value: number) => Number(value.toFixed(1));

function text(
  x: number,
  y: number,
  content: string,
  attrs: { size?: number; anchor?: 'start' | 'middle' | 'end'; weight?: 'bold'; fill?: string; extra?: string } = {},
): string {
  const parts = [`x="${n(x)}"`, `y="${n(y)}"`];
  if (attrs.size) parts.push(`font-size="${attrs.size}"`);
  if (attrs.anchor && attrs.anchor !== 'start') parts.push(`text-anchor="${attrs.anchor}"`);
  if (attrs.weight) parts.push(`font-weight="${attrs.weight}"`);
  if (attrs.fill) parts.push(`fill="${attrs.fill}"`);
  if (attrs.extra) parts.push(attrs.extra);
  return `<text ${parts.join(' ')}>${escapeXml(content)}</text>`;
}

/** A rough width of a label at a font size, enough to decide whether it fits beside a bar. */
const textWidth = (content: string, size: number) => content.length * size * 0.56;

/** The scenario with a server outage, and its (first) outage window in minutes. */
function outageOf(scenarios: readonly Scenario[], results: readonly Measurement[]) {
  for (const scenario of scenarios) {
    const window = scenario.faults?.outages?.[0];
    if (window && results.some((m) => m.scenario === scenario.name))
      return { scenario, fromMinute: window.fromMs / 60_000, toMinute: window.toMs / 60_000 };
  }
  return undefined;
}

/**
 * The headline: events lost in the outage, legacy against optimized, and the range of request reductions of the
 * optimized worker against the legacy one over the scenarios measured.
 */
export function headline(results: readonly Measurement[], outageScenario?: string): string[] {
  const of = (scenario: string, variant: string) =>
    results.find((m) => m.scenario === scenario && m.variant === variant);
  const parts: string[] = [];
  if (outageScenario) {
    const legacy = of(outageScenario, 'legacy');
    const optimized = of(outageScenario, 'optimized');
    if (legacy && optimized)
      parts.push(
        `${outageScenario}: the legacy worker loses ${formatCount(legacy.lost)} events, the optimized one ${formatCount(optimized.lost)}`,
      );
  }
  const reductions = results
    .filter((m) => m.variant === 'optimized')
    .flatMap((m) => {
      const legacy = of(m.scenario, 'legacy');
      return legacy && legacy.requests > 0 ? [Math.round((1 - m.requests / legacy.requests) * 100)] : [];
    });
  if (reductions.length > 0) {
    const low = Math.min(...reductions);
    const high = Math.max(...reductions);
    parts.push(
      `The optimized worker makes ${low === high ? low : `${low}–${high}`}% fewer server requests than legacy`,
    );
  }
  return parts.length > 0 ? parts : ['Server requests and lost events per worker variant'];
}

interface BarPanel {
  readonly title: string;
  readonly axis: string;
  /** The bar's length on the panel's scale, or null for no bar. */
  readonly value: (m: Measurement, legacy: Measurement | undefined) => number | null;
  /** What is printed beside the bar. */
  readonly label: (m: Measurement) => string;
  readonly tickFormat: (tick: number) => string;
}

const BAR_PANELS: readonly BarPanel[] = [
  {
    title: 'Server requests in the run',
    axis: 'bar: % of legacy’s requests; number: count',
    value: (m, legacy) => (legacy && legacy.requests > 0 ? (m.requests / legacy.requests) * 100 : null),
    label: (m) => `${formatCount(m.requests)}${m.finished ? '' : ' (cut off)'}`,
    tickFormat: (tick) => `${formatTick(tick)}%`,
  },
  {
    title: 'Busiest 15 s at the server',
    axis: 'requests in the busiest 15 s window',
    value: (m) => m.peak15s,
    label: (m) => formatCount(m.peak15s),
    tickFormat: formatTick,
  },
  {
    title: 'Events lost',
    axis: 'events recorded but never delivered',
    value: (m) => m.lost,
    label: (m) => formatCount(m.lost),
    tickFormat: formatTick,
  },
];

const BAR = { height: 12, gap: 3, groupGap: 16, labelWidth: 168, panelGap: 30, header: 40, axis: 44 };

/** Before/after bars, one group of bars per scenario, in three panels that share the rows. */
function bars(results: readonly Measurement[], top: number): { svg: string[]; height: number } {
  const scenarios = [...new Set(results.map((m) => m.scenario))];
  const left = MARGIN + BAR.labelWidth;
  const panelWidth = (WIDTH - left - MARGIN - BAR.panelGap * (BAR_PANELS.length - 1)) / BAR_PANELS.length;
  const legacyOf = new Map(results.filter((m) => m.variant === 'legacy').map((m) => [m.scenario, m]));
  const rowsTop = top + BAR.header;
  const groups: { scenario: string; y: number; lines: Measurement[] }[] = [];
  let y = rowsTop + BAR.groupGap / 2;
  for (const scenario of scenarios) {
    const lines = results.filter((m) => m.scenario === scenario);
    groups.push({ scenario, y, lines });
    y += lines.length * (BAR.height + BAR.gap) - BAR.gap + BAR.groupGap;
  }
  const rowsBottom = y - BAR.groupGap / 2;
  const svg: string[] = [];
  groups.forEach((group, index) => {
    const groupHeight = group.lines.length * (BAR.height + BAR.gap) - BAR.gap;
    if (index % 2 === 0)
      svg.push(
        `<rect x="${MARGIN}" y="${n(group.y - BAR.groupGap / 2)}" width="${WIDTH - 2 * MARGIN}" height="${n(groupHeight + BAR.groupGap)}" fill="#f4f4f4"/>`,
      );
    svg.push(text(MARGIN + 6, group.y + groupHeight / 2 + 4, group.scenario, { size: 13, fill: INK }));
  });
  BAR_PANELS.forEach((panel, p) => {
    const x0 = left + p * (panelWidth + BAR.panelGap);
    const values = results.map((m) => panel.value(m, legacyOf.get(m.scenario)) ?? 0);
    const ticks = niceTicks(Math.max(...values), 4, true);
    const x = linearScale([0, ticks[ticks.length - 1] as number], [x0, x0 + panelWidth - 8]);
    svg.push(text(x0, top + 16, panel.title, { size: 14, weight: 'bold', fill: INK }));
    for (const tick of ticks) {
      svg.push(
        `<line x1="${n(x(tick))}" x2="${n(x(tick))}" y1="${rowsTop}" y2="${n(rowsBottom)}" stroke="${tick === 0 ? '#999999' : GRID}"/>`,
      );
      svg.push(text(x(tick), rowsBottom + 15, panel.tickFormat(tick), { size: 11, anchor: 'middle', fill: MUTED }));
    }
    svg.push(text(x0, rowsBottom + 33, panel.axis, { size: 11, fill: MUTED }));
    for (const group of groups) {
      group.lines.forEach((m, i) => {
        const value = panel.value(m, legacyOf.get(m.scenario));
        const barY = group.y + i * (BAR.height + BAR.gap);
        const label = panel.label(m);
        const end = value === null ? x0 : x(value);
        if (value !== null && value > 0)
          svg.push(
            `<rect x="${n(x0)}" y="${n(barY)}" width="${n(Math.max(1, end - x0))}" height="${BAR.height}" fill="${style(m.variant).color}"><title>${escapeXml(`${m.scenario}, ${m.variant}: ${label}`)}</title></rect>`,
          );
        const fitsOutside = end + 4 + textWidth(label, 11) <= x0 + panelWidth + BAR.panelGap - 6;
        svg.push(
          fitsOutside
            ? text(end + 4, barY + BAR.height - 2, label, { size: 11, fill: INK })
            : text(end - 4, barY + BAR.height - 2, label, { size: 11, anchor: 'end', fill: 'white', weight: 'bold' }),
        );
      });
    }
  });
  return { svg, height: rowsBottom + BAR.axis - top };
}

const TIMELINE = { left: 78, right: 170, plotHeight: 150, gap: 76, header: 84 };

/**
 * The outage scenario over time: requests per minute (binned wide enough not to zig-zag) and the events recorded
 * but not at the server, the outage window shaded in both.
 */
function timeline(
  results: readonly Measurement[],
  outage: NonNullable<ReturnType<typeof outageOf>>,
  top: number,
): { svg: string[]; height: number } {
  const lines = results.filter((m) => m.scenario === outage.scenario.name && m.variant !== 'fleet budget');
  const minutes = Math.max(1, ...lines.map((m) => m.minutes));
  const xTicks = niceTicks(minutes, 10, true);
  const domain: [number, number] = [0, xTicks[xTicks.length - 1] as number];
  const x0 = MARGIN + TIMELINE.left;
  const x1 = WIDTH - MARGIN - TIMELINE.right;
  const x = linearScale(domain, [x0, x1]);
  // Bins with an edge at each end of the outage, so that no bin straddles the moment the server went down.
  const bin = chooseBinMinutes(
    lines.map((m) => m.perMinute),
    binsAlignedWith(outage),
    outage.fromMinute,
  );
  const rates = outage.scenario.rates.join(', ');
  const svg: string[] = [
    text(MARGIN, top + 16, `${outage.scenario.name}, minute by minute`, { size: 14, weight: 'bold', fill: INK }),
    text(
      MARGIN,
      top + 33,
      `${outage.scenario.workers} worker, ${outage.scenario.rates.length} campaigns at ${rates} emails/min for ${outage.scenario.minutes} min; the main server answers nothing from minute ${formatTick(outage.fromMinute)} to ${formatTick(outage.toMinute)}; a run ends when the worker has delivered what it can`,
      { size: 11, fill: MUTED },
    ),
  ];
  const plots = [
    {
      title: `Server requests per minute (${bin === 1 ? 'each minute' : `${bin}-minute bins`})`,
      series: lines.map((m) => ({
        m,
        points: rebin(m.perMinute, bin, outage.fromMinute).flatMap((b) => [
          [b.from, b.count / (b.to - b.from)],
          [b.to, b.count / (b.to - b.from)],
        ]),
      })),
      endLabel: (m: Measurement) => `${m.variant}: ${formatCount(m.requests)} in all`,
      tail: false,
    },
    {
      title: 'Events recorded by the worker and not (yet) at the server',
      series: lines.map((m) => ({
        m,
        points: [[0, 0], ...m.pendingPerMinute.map((pending, minute) => [minute + 1, pending])],
      })),
      endLabel: (m: Measurement) => `${m.variant}: ${formatCount(m.lost)} lost`,
      tail: true,
    },
  ];
  plots.forEach((plot, p) => {
    const plotTop = top + TIMELINE.header + p * (TIMELINE.plotHeight + TIMELINE.gap);
    const plotBottom = plotTop + TIMELINE.plotHeight;
    const peak = Math.max(...plot.series.flatMap((s) => s.points.map(([, v]) => v as number)));
    const yTicks = niceTicks(peak, 4, true);
    const y = linearScale([0, yTicks[yTicks.length - 1] as number], [plotBottom, plotTop]);
    svg.push(text(x0, plotTop - 26, plot.title, { size: 13, weight: 'bold', fill: INK }));
    const shade = shadedSpan(x, outage, domain);
    if (shade) {
      // The window shaded over the plot, with a tab above it that names it.
      const label = `server down, min ${formatTick(outage.fromMinute)}–${formatTick(outage.toMinute)}`;
      const tab = Math.max(shade.width, textWidth(label, 11) + 12);
      svg.push(
        `<rect class="outage" x="${n(shade.x)}" y="${n(plotTop)}" width="${n(shade.width)}" height="${TIMELINE.plotHeight}" fill="#000000" fill-opacity="0.09"/>`,
        `<rect x="${n(shade.x + shade.width / 2 - tab / 2)}" y="${n(plotTop - 18)}" width="${n(tab)}" height="16" rx="3" fill="#dddddd"/>`,
        text(shade.x + shade.width / 2, plotTop - 6, label, { size: 11, anchor: 'middle', weight: 'bold', fill: INK }),
      );
    }
    for (const tick of yTicks) {
      svg.push(
        `<line x1="${x0}" x2="${x1}" y1="${n(y(tick))}" y2="${n(y(tick))}" stroke="${tick === 0 ? '#999999' : GRID}"/>`,
      );
      svg.push(text(x0 - 6, y(tick) + 4, formatTick(tick), { size: 11, anchor: 'end', fill: MUTED }));
    }
    for (const tick of xTicks) {
      svg.push(
        `<line x1="${n(x(tick))}" x2="${n(x(tick))}" y1="${plotBottom}" y2="${plotBottom + 4}" stroke="#999999"/>`,
      );
      svg.push(text(x(tick), plotBottom + 16, formatTick(tick), { size: 11, anchor: 'middle', fill: MUTED }));
    }
    svg.push(
      text(x1, plotBottom + 32, 'minutes since the campaigns started', { size: 11, anchor: 'end', fill: MUTED }),
    );
    const ends: { m: Measurement; y: number }[] = [];
    for (const { m, points } of plot.series) {
      const { color, dash } = style(m.variant);
      const dashed = dash ? ` stroke-dasharray="${dash}"` : '';
      const path = points.map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${n(x(px as number))},${n(y(py as number))}`);
      const last = points[points.length - 1] as number[];
      svg.push(
        `<path d="${path.join(' ')}" fill="none" stroke="${color}" stroke-width="${m.variant === 'optimized' ? 2.6 : 2}"${dashed} stroke-linejoin="round"/>`,
      );
      if (plot.tail && (last[0] as number) < domain[1]) {
        // After its run the worker holds nothing more: what is still missing stays missing.
        svg.push(
          `<line x1="${n(x(last[0] as number))}" x2="${x1}" y1="${n(y(last[1] as number))}" y2="${n(y(last[1] as number))}" stroke="${color}" stroke-width="1.2" stroke-dasharray="1 3"/>`,
        );
      }
      ends.push({ m, y: plot.tail ? y(last[1] as number) : y(0) });
    }
    const placed = plot.tail
      ? spreadLabels(
          ends.map((e) => e.y),
          15,
          plotTop + 4,
          plotBottom,
        )
      : ends.map((_, i) => plotTop + 14 + i * 15);
    ends.forEach((end, i) => {
      svg.push(
        text(x1 + 8, (placed[i] as number) + 4, plot.endLabel(end.m), {
          size: 12,
          fill: style(end.m.variant).color,
          weight: 'bold',
        }),
      );
    });
  });
  return { svg, height: TIMELINE.header + 2 * TIMELINE.plotHeight + TIMELINE.gap + 40 };
}

/**
 * The simulator's chart: a headline, before/after bars per scenario (requests, the busiest 15 s, events lost) for
 * every variant, and the outage scenario over time (requests per minute and pending events, the outage shaded).
 * Plain SVG text, viewable in any browser.
 */
export function chart(
  results: readonly Measurement[],
  options: {
    /** The scenarios measured: the one with an outage gets the timeline. */
    scenarios?: readonly Scenario[];
    seed?: number;
    /** The fleet budget variant's budget, for its legend. */
    fleetBudget?: { readonly budget: number; readonly windowMs: number };
  } = {},
): string {
  const outage = outageOf(options.scenarios ?? [], results);
  const variants = [...new Set(results.map((m) => m.variant))];
  const lines = headline(results, outage?.scenario.name);
  const head: string[] = lines.map((line, i) =>
    text(MARGIN, 30 + i * 25, line, { size: 19, weight: 'bold', fill: INK }),
  );
  const headBottom = 30 + (lines.length - 1) * 25;
  head.push(
    text(
      MARGIN,
      headBottom + 22,
      `The worker variants of pnpm simulate against the mock main server, in virtual time${options.seed === undefined ? '' : ` (seed ${options.seed})`}.`,
      { size: 12, fill: MUTED },
    ),
  );
  let legendX = MARGIN;
  for (const variant of variants) {
    const { color } = style(variant);
    const label =
      variant === 'fleet budget' && options.fleetBudget
        ? `fleet budget (optimized, ${options.fleetBudget.budget} requests / ${options.fleetBudget.windowMs / 1000} s fleet-wide)`
        : style(variant).label;
    head.push(`<rect x="${legendX}" y="${headBottom + 34}" width="14" height="14" fill="${color}"/>`);
    head.push(text(legendX + 19, headBottom + 46, label, { size: 12, fill: INK }));
    legendX += 19 + textWidth(label, 12) + 22;
  }
  const barsTop = headBottom + 72;
  const barsPart = bars(results, barsTop);
  const timelineTop = barsTop + barsPart.height + 24;
  const timelinePart = outage ? timeline(results, outage, timelineTop) : { svg: [], height: 0 };
  const height = Math.ceil(timelineTop + timelinePart.height);
  const title = escapeXml(lines.join('. '));
  return `${[
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${FONT}" font-size="12">`,
    `<title>${title}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    ...head,
    ...barsPart.svg,
    ...timelinePart.svg,
    '</svg>',
  ].join('\n')}\n`;
}
