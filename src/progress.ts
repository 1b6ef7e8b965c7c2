/**
 * The progress bar of a terminal run: one line on stderr, redrawn at most ten times a second,
 * with counts by outcome. Never in CI or when stderr is not a terminal: logs stay clean there.
 */
import type { CheckProgress } from './check/index.js';
import type { Verdict } from './model.js';

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

export type ProgressMode = 'auto' | 'always' | 'never';

/** Whether a run should draw the bar: `auto` means a terminal outside CI. */
export function wantsProgress(
  mode: ProgressMode,
  stream: ProgressStream,
  env: Record<string, string | undefined>,
): boolean {
  if (mode !== 'auto') return mode === 'always';
  return stream.isTTY === true && !env.CI && env.GITHUB_ACTIONS !== 'true';
}

const BAR_WIDTH = 24;
/** The words the closing summary and the report use. */
const VERDICT_LABELS: Record<Verdict, string> = {
  alive: 'alive',
  suspect: 'suspect',
  dead: 'dead',
  blocked: 'blocked',
  error: 'failed to load',
  skipped: 'unchecked',
};
const REDRAW_MS = 100;

/**
 * `[#########...............] 120/400  alive 100  suspect 3  …  snapshots 12/90`: counts by
 * verdict, as the report and the summary count them (a dead outcome is `suspect` until confirmed).
 */
export function renderProgressLine(p: CheckProgress): string {
  const ratio = p.total === 0 ? 1 : p.done / p.total;
  const filled = Math.round(ratio * BAR_WIDTH);
  const counts = Object.entries(p.byVerdict)
    .filter(([, n]) => n > 0)
    .map(([verdict, n]) => `${VERDICT_LABELS[verdict as Verdict]} ${n}`)
    .join('  ');
  const snapshots = p.snapshots ? `  snapshots ${p.snapshots.done}/${p.snapshots.total}` : '';
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${p.done}/${p.total}${counts ? `  ${counts}` : ''}${snapshots}`;
}

export class ProgressBar {
  readonly #stream: ProgressStream;
  readonly #now: () => number;
  #lastDraw = 0;
  #drawn = false;
  /** The bar as last drawn, for redrawing after a printed line. */
  #line = '';

  constructor(stream: ProgressStream, now: () => number = Date.now) {
    this.#stream = stream;
    this.#now = now;
  }

  update(p: CheckProgress): void {
    const t = this.#now();
    const unfinished =
      p.done < p.total || (p.snapshots !== undefined && p.snapshots.done < p.snapshots.total);
    if (unfinished && t - this.#lastDraw < REDRAW_MS) return;
    this.#lastDraw = t;
    this.#draw(p);
  }

  /**
   * Prints text (whole lines) above the bar: clears the bar's line, writes the text, redraws
   * the bar — in one write, so a log line never lands inside the bar.
   */
  print(text: string): void {
    if (text === '') return;
    const line = text.endsWith('\n') ? text : `${text}\n`;
    this.#stream.write(this.#drawn ? `\r\x1b[2K${line}${this.#line}` : line);
  }

  /** A sink for the logger that prints through the bar. */
  sink(): { isTTY?: boolean; write(s: string): void } {
    return {
      ...(this.#stream.isTTY !== undefined && { isTTY: this.#stream.isTTY }),
      write: (s) => this.print(s),
    };
  }

  /** Clears the line, leaving the terminal as it was. */
  finish(): void {
    if (this.#drawn) this.#stream.write('\r\x1b[2K');
    this.#drawn = false;
  }

  #draw(p: CheckProgress): void {
    const width = Math.max(20, (this.#stream.columns ?? 100) - 1);
    this.#line = renderProgressLine(p).slice(0, width);
    this.#stream.write(`\r\x1b[2K${this.#line}`);
    this.#drawn = true;
  }
}
