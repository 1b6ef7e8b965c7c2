/**
 * The trend chart: dead, suspect and blocked links per run, as a small self-contained SVG
 * (no scripts, no external fonts or styles), for `summary.md` and the job summary. Pure.
 */

export interface TrendChartPoint {
  /** The run's clock (ISO instant). */
  at: string;
  dead: number;
  suspect: number;
  blocked: number;
}

export interface TrendChartOptions {
  /** @default 640 */
  width?: number;
  /** @default 240 */
  height?: number;
  /** Runs shown, the latest. @default 90 */
  maxPoints?: number;
  /** @default 'Link health per run' */
  title?: string;
}

const SERIES = [
  { key: 'dead', label: 'dead', color: '#cf222e' },
  { key: 'suspect', label: 'suspect', color: '#bc4c00' },
  { key: 'blocked', label: 'blocked', color: '#8250df' },
] as const;

const MARGIN = { top: 28, right: 96, bottom: 36, left: 44 };
/** Above this many runs the points are drawn as lines only. */
const MAX_MARKERS = 30;

const escapeXml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const fmt = (n: number): string => (Math.round(n * 10) / 10).toString();

/** The smallest "nice" number (1, 2, 5 × 10^k) at or above `n`, at least 1. */
function niceCeiling(n: number): number {
  if (n <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

const dateLabel = (at: string): string => (/^\d{4}-\d{2}-\d{2}/.test(at) ? at.slice(0, 10) : at);

const count = (n: number): number => (Number.isFinite(n) && n > 0 ? n : 0);

export function renderTrendSvg(points: readonly TrendChartPoint[], options: TrendChartOptions = {}): string {
  const width = options.width ?? 640;
  const height = options.height ?? 240;
  const title = options.title ?? 'Link health per run';
  const shown = [...points]
    .map((p, i) => ({ p, i, t: Date.parse(p.at) }))
    .sort((a, b) => a.t - b.t || a.i - b.i || 0)
    .slice(-(options.maxPoints ?? 90))
    .map(({ p, t }) => ({ ...p, t }));

  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="16" font-size="13" fill="#24292f">${escapeXml(title)}</text>`,
  ];

  if (shown.length === 0) {
    out.push(
      `<text x="${fmt(width / 2)}" y="${fmt(height / 2)}" text-anchor="middle" fill="#57606a">No runs recorded yet</text>`,
      '</svg>',
    );
    return out.join('\n');
  }

  const maxY = niceCeiling(
    Math.max(...shown.flatMap((p) => [count(p.dead), count(p.suspect), count(p.blocked)])),
  );
  const times = shown.map((p) => p.t);
  const timed = times.every(Number.isFinite) && times[times.length - 1]! > times[0]!;
  const x = (i: number): number => {
    if (shown.length === 1) return MARGIN.left + plotW / 2;
    const f = timed
      ? (times[i]! - times[0]!) / (times[times.length - 1]! - times[0]!)
      : i / (shown.length - 1);
    return MARGIN.left + f * plotW;
  };
  const y = (v: number): number => MARGIN.top + plotH - (count(v) / maxY) * plotH;

  // Axes and horizontal grid lines at 0, half and the top.
  for (const v of [0, maxY / 2, maxY]) {
    const yy = fmt(y(v));
    out.push(
      `<line x1="${MARGIN.left}" y1="${yy}" x2="${MARGIN.left + plotW}" y2="${yy}" stroke="#d0d7de" stroke-width="1"/>`,
      `<text x="${MARGIN.left - 6}" y="${yy}" dy="4" text-anchor="end" fill="#57606a">${fmt(v)}</text>`,
    );
  }
  out.push(
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + plotH}" stroke="#57606a" stroke-width="1"/>`,
  );

  // Date labels: the first run, the last, and the middle one when there is room.
  const labelled = new Set([
    0,
    shown.length - 1,
    ...(shown.length >= 3 ? [Math.floor((shown.length - 1) / 2)] : []),
  ]);
  for (const i of [...labelled].sort((a, b) => a - b)) {
    const anchor =
      shown.length === 1 ? 'middle' : i === 0 ? 'start' : i === shown.length - 1 ? 'end' : 'middle';
    out.push(
      `<text x="${fmt(x(i))}" y="${height - MARGIN.bottom + 16}" text-anchor="${anchor}" fill="#57606a">${escapeXml(dateLabel(shown[i]!.at))}</text>`,
    );
  }

  for (const s of SERIES) {
    const coords = shown.map((p, i) => `${fmt(x(i))},${fmt(y(p[s.key]))}`);
    out.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${coords.join(' ')}"><title>${escapeXml(s.label)}</title></polyline>`,
    );
    if (shown.length <= MAX_MARKERS) {
      shown.forEach((p, i) => {
        out.push(
          `<circle cx="${fmt(x(i))}" cy="${fmt(y(p[s.key]))}" r="2.5" fill="${s.color}"><title>${escapeXml(`${dateLabel(p.at)}: ${count(p[s.key])} ${s.label}`)}</title></circle>`,
        );
      });
    }
  }

  // Legend, with each series' latest value.
  const latest = shown[shown.length - 1]!;
  SERIES.forEach((s, k) => {
    const ly = MARGIN.top + 8 + k * 18;
    const lx = MARGIN.left + plotW + 14;
    out.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 14}" y2="${ly}" stroke="${s.color}" stroke-width="3"/>`,
      `<text x="${lx + 20}" y="${ly}" dy="4" fill="#24292f">${escapeXml(`${s.label} (${count(latest[s.key])})`)}</text>`,
    );
  });

  out.push('</svg>');
  return out.join('\n');
}
