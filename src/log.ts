/**
 * pino to stderr as NDJSON: stdout stays clean for output (schema, annotations).
 */
import { type Logger, pino } from 'pino';

export type { Logger } from 'pino';

export interface LogOptions {
  /** Only errors. @default false */
  quiet?: boolean;
  /** Debug detail (every request). @default false */
  verbose?: boolean;
}

export function createLogger(options: LogOptions = {}): Logger {
  const level = options.quiet ? 'error' : options.verbose ? 'debug' : 'info';
  return pino(
    {
      name: 'citewatch',
      level,
      base: undefined,
      // Credentials never reach a log line, whatever object carries them.
      redact: {
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
      },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}

/** A logger that drops everything (library default, tests). */
export const silentLogger = (): Logger => pino({ level: 'silent' });
