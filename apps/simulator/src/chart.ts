import type { Measurement } from './metrics.js';

const COLORS: Record<string, string> = { legacy: '#d1495b', hotfix: '#edae49', optimized: '#00798c' };
const PANEL = { width: 420, height: 200, left: 46, right: 12, top: 28, bottom: 30 };

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * Requests per minute over time, one panel per scenario, one line per variant (a log scale, so the optimized
 * worker's few requests and the legacy worker's many both show). Plain SVG, viewable in any browser.
 */
export function chart(results: readonly Measurement[]): string {
  const scenarios = [...new Set(results.map((m) => m.scenario))];
  const columns = 2;
  const rows = Math.ceil(scenarios.length / columns);
  const width = PANEL.width * columns;
  const height = PANEL.height * rows + 40;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    '<title>Server requests per minute over time: legacy, hotfix and optimized workers, per scenario</title>',
    `<rect width="${width}" height="${height}" fill="white"/>`,
  ];
  Object.entries(COLORS).forEach(([variant, color], i) => {
    parts.push(`<rect x="${12 + i * 110}" y="10" width="14" height="4" fill="${color}"/>`);
    parts.push(`<text x="${30 + i * 110}" y="16">${variant}</text>`);
  });
  parts.push(
    `<text x="${width - 12}" y="16" text-anchor="end">server requests per minute (log scale) over simulated minutes</text>`,
  );
  scenarios.forEach((scenario, index) => {
    const x0 = (index % columns) * PANEL.width;
    const y0 = 30 + Math.floor(index / columns) * PANEL.height;
    const plotW = PANEL.width - PANEL.left - PANEL.right;
    const plotH = PANEL.height - PANEL.top - PANEL.bottom;
    const lines = results.filter((m) => m.scenario === scenario);
    const minutes = Math.max(...lines.map((m) => m.perMinute.length));
    const peak = Math.max(1, ...lines.flatMap((m) => m.perMinute));
    const top = 10 ** Math.ceil(Math.log10(peak + 1));
    const y = (value: number) => y0 + PANEL.top + plotH - (Math.log10(value + 1) / Math.log10(top + 1)) * plotH;
    const x = (minute: number) => x0 + PANEL.left + (minute / Math.max(1, minutes - 1)) * plotW;
    parts.push(`<text x="${x0 + PANEL.left}" y="${y0 + 18}" font-weight="bold">${escapeXml(scenario)}</text>`);
    parts.push(
      `<rect x="${x0 + PANEL.left}" y="${y0 + PANEL.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#ccc"/>`,
    );
    for (let tick = 1; tick <= top; tick *= 10) {
      parts.push(
        `<line x1="${x0 + PANEL.left}" x2="${x0 + PANEL.left + plotW}" y1="${y(tick)}" y2="${y(tick)}" stroke="#eee"/>`,
      );
      parts.push(`<text x="${x0 + PANEL.left - 4}" y="${y(tick) + 4}" text-anchor="end">${tick}</text>`);
    }
    parts.push(`<text x="${x0 + PANEL.left - 4}" y="${y(0) + 4}" text-anchor="end">0</text>`);
    parts.push(
      `<text x="${x0 + PANEL.left + plotW}" y="${y0 + PANEL.height - 10}" text-anchor="end">${minutes} min</text>`,
    );
    for (const m of lines) {
      const points = m.perMinute.map((value, minute) => `${x(minute).toFixed(1)},${y(value).toFixed(1)}`).join(' ');
      parts.push(
        `<polyline points="${points}" fill="none" stroke="${COLORS[m.variant] ?? '#888'}" stroke-width="1.5"/>`,
      );
    }
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
