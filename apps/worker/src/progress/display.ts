import type { CampaignProgress } from '../campaign-runner.js';
import type { ServerView } from '../server-view.js';
import { fitToTerminal, type TerminalSize } from './fit.js';
import { progressLines } from './render.js';

/** How progress is shown: redrawn in place on a terminal, periodic plain lines otherwise (CI, logs), or not. */
export type ProgressMode = 'live' | 'plain' | 'off';

export interface Display {
  stop(): void;
}

/**
 * Shows progress until stopped. `live` redraws a block in place every 250 ms, cut to the terminal's size as it is
 * at each draw; `plain` writes a timestamped block every 10 s, which reads well in a log.
 */
export function showProgress(
  mode: ProgressMode,
  out: NodeJS.WritableStream & TerminalSize,
  campaigns: readonly CampaignProgress[],
  server: () => ServerView,
): Display {
  if (mode === 'off') return { stop() {} };
  let drawn = 0;
  const draw = () => {
    const lines = progressLines(campaigns, server(), Date.now());
    if (mode === 'live') {
      const fitted = fitToTerminal(lines, out);
      out.write(`${drawn > 0 ? `\x1b[${drawn}A` : ''}\x1b[J${fitted.join('\n')}\n`);
      drawn = fitted.length;
    } else {
      const stamp = new Date().toISOString().slice(11, 19);
      out.write(`${lines.map((line) => `${stamp} ${line}`).join('\n')}\n`);
    }
  };
  const timer = setInterval(draw, mode === 'live' ? 250 : 10_000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      draw();
    },
  };
}
