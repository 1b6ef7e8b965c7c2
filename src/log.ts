/**
 * pino to stderr: NDJSON off a terminal (CI, files, pipes) and with `--log-format json`; short
 * human lines on a terminal. Either way stdout stays clean for output (schema, annotations),
 * and a sink can be given — the progress bar's, so a log line never lands inside the bar.
 */
import { type Logger, pino } from 'pino';

export type { Logger } from 'pino';

export const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;
/** `auto`: human lines on a terminal, NDJSON elsewhere. */
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Where log lines go: stderr by default, or the progress bar (which redraws itself after). */
export interface LogSink {
  isTTY?: boolean;
  write(s: string): unknown;
}

export interface LogOptions {
  /** Only errors. @default false */
  quiet?: boolean;
  /** Debug detail (every request). @default false */
  verbose?: boolean;
  /** @default 'auto' */
  logFormat?: LogFormat;
  /** Colour the human lines (a terminal without `NO_COLOR`). @default false */
  color?: boolean;
}

/** The format `auto` means for this sink. */
export const resolveLogFormat = (format: LogFormat | undefined, sink: LogSink): 'pretty' | 'json' =>
  format === 'pretty' || format === 'json' ? format : sink.isTTY === true ? 'pretty' : 'json';

const REDACT = {
  paths: [
    'spn',
    '*.spn',
    'accessKey',
    '*.accessKey',
    'secret',
    '*.secret',
    'authorization',
    '*.authorization',
    'headers.authorization',
  ],
  censor: '[redacted]',
};

export function createLogger(options: LogOptions = {}, sink?: LogSink): Logger {
  const level = options.quiet ? 'error' : options.verbose ? 'debug' : 'info';
  // Credentials never reach a log line, whatever object carries them.
  const base = { name: 'citewatch', level, base: undefined, redact: REDACT };
  const target: LogSink = sink ?? process.stderr;
  const format = resolveLogFormat(options.logFormat, target);
  if (format === 'json' && !sink) return pino(base, pino.destination({ fd: 2, sync: true }));
  const color = options.color === true;
  return pino(base, {
    write: (line: string) => {
      target.write(format === 'json' ? line : formatPrettyLine(line, color));
    },
  });
}

const LEVELS: Record<number, { name: string; color: string }> = {
  10: { name: 'TRACE', color: '\x1b[90m' },
  20: { name: 'DEBUG', color: '\x1b[90m' },
  30: { name: 'INFO ', color: '\x1b[36m' },
  40: { name: 'WARN ', color: '\x1b[33m' },
  50: { name: 'ERROR', color: '\x1b[31m' },
  60: { name: 'FATAL', color: '\x1b[31m' },
};
const OMIT = new Set(['level', 'time', 'name', 'msg', 'pid', 'hostname']);
/** Control characters from the web (titles, URLs) must not move the cursor or recolour the terminal. */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

const showValue = (value: unknown): string => {
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  if (value !== null && typeof value === 'object' && 'message' in value && 'type' in value)
    return JSON.stringify((value as { message: unknown }).message);
  return JSON.stringify(value) ?? String(value);
};

/** One NDJSON log line as `12:01:07 WARN  message  key=value …` (with its newline). */
export function formatPrettyLine(json: string, color = false): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const level = LEVELS[Number(entry.level)] ?? { name: String(entry.level), color: '' };
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 19) : '';
  const fields = Object.entries(entry)
    .filter(([k, v]) => !OMIT.has(k) && v !== undefined)
    .map(([k, v]) => `${k}=${showValue(v)}`)
    .join(' ');
  const message = String(entry.msg ?? '');
  const text = `${message}${fields ? `  ${fields}` : ''}`.replace(CONTROL, '?');
  const label = color ? `${level.color}${level.name}\x1b[0m` : level.name;
  const stamp = color ? `\x1b[2m${time}\x1b[0m` : time;
  return `${stamp} ${label} ${text}\n`;
}

/** A logger that drops everything (library default, tests). */
export const silentLogger = (): Logger => pino({ level: 'silent' });
