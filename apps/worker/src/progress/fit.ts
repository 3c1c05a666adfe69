/** A terminal's size, as a TTY stream tells it (`columns`, `rows`); unknown on a pipe. */
export interface TerminalSize {
  readonly columns?: number | undefined;
  readonly rows?: number | undefined;
}

/**
 * The block cut to the terminal, so redrawing it in place never smears: a line as wide as the terminal, or a
 * block taller than it, would wrap or scroll, and moving the cursor up by the line count would then miss.
 * Lines are cut to one column less than the width (some terminals wrap at the last column), ending in `…`; a
 * block taller than the terminal keeps its first lines and its last (the server's), with a count of the rest.
 */
export function fitToTerminal(lines: readonly string[], { columns, rows }: TerminalSize): string[] {
  let fitted = [...lines];
  if (rows !== undefined && rows >= 3 && fitted.length > rows - 1) {
    const kept = rows - 3;
    const last = fitted[fitted.length - 1] as string;
    fitted = [...fitted.slice(0, kept), `… and ${lines.length - 1 - kept} more`, last];
  }
  if (columns === undefined || columns < 2) return fitted;
  const max = columns - 1;
  return fitted.map((line) => (line.length > max ? `${line.slice(0, max - 1)}…` : line));
}
