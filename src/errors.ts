/**
 * Every error citewatch raises on purpose is a `CitewatchError` with a stable `code`; callers
 * branch on the code (the CLI maps it to an exit code), never on the message.
 */

export const ERROR_CODES = {
  input: 'CW_ERR_INPUT',
  config: 'CW_ERR_CONFIG',
  usage: 'CW_ERR_USAGE',
  network: 'CW_ERR_NETWORK',
  addressNotAllowed: 'CW_ERR_ADDRESS_NOT_ALLOWED',
  responseTooLarge: 'CW_ERR_RESPONSE_TOO_LARGE',
  tooManyRedirects: 'CW_ERR_TOO_MANY_REDIRECTS',
  api: 'CW_ERR_API',
  wikiMissing: 'CW_ERR_WIKI_MISSING_TITLE',
  state: 'CW_ERR_STATE',
  report: 'CW_ERR_REPORT',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export class CitewatchError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** An input file, directory or fetched article that cannot be read as an article. */
export class InputError extends CitewatchError {
  /** The file, directory or title the error is about. */
  readonly subject: string;
  constructor(subject: string, message: string, options?: { cause?: unknown }) {
    super(ERROR_CODES.input, `${subject}: ${message}`, options);
    this.subject = subject;
  }
}

/** A configuration file or option value that does not fit its schema. */
export class ConfigError extends CitewatchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ERROR_CODES.config, message, options);
  }
}

/** Command-line usage that cannot be carried out (conflicting or malformed flags). */
export class UsageError extends CitewatchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ERROR_CODES.usage, message, options);
  }
}

/** A title the wiki does not have (`missingtitle`). */
export class WikiMissingTitleError extends CitewatchError {
  readonly title: string;
  constructor(title: string, endpoint: string) {
    super(ERROR_CODES.wikiMissing, `${title}: no such page on ${endpoint}`);
    this.title = title;
  }
}

/** An external API answered with something its schema does not allow. */
export class ApiError extends CitewatchError {
  readonly service: string;
  constructor(service: string, message: string, options?: { cause?: unknown }) {
    super(ERROR_CODES.api, `${service}: ${message}`, options);
    this.service = service;
  }
}

/** The state database cannot be opened or migrated. */
export class StateError extends CitewatchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ERROR_CODES.state, message, options);
  }
}

/** A report file (or the `--out` folder) that cannot be written. */
export class ReportError extends CitewatchError {
  /** The file or folder the error is about. */
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(ERROR_CODES.report, `${path}: ${message}`, options);
    this.path = path;
  }
}

/**
 * Codes that mean the user gave bad input or usage, or an environment the run cannot use (an
 * unwritable `--out`, an unusable `--state`, a full disk): exit code 2.
 */
export const USAGE_ERROR_CODES: ReadonlySet<ErrorCode> = new Set([
  ERROR_CODES.input,
  ERROR_CODES.config,
  ERROR_CODES.usage,
  ERROR_CODES.wikiMissing,
  ERROR_CODES.state,
  ERROR_CODES.report,
]);

/** What a system error says, in one line: `ENOSPC: no space left on device`. */
export function describeCause(cause: unknown): string {
  const e = cause as { code?: unknown; message?: unknown } | undefined;
  const message = typeof e?.message === 'string' ? e.message : String(cause);
  // Node's fs messages repeat the syscall and path (`ENOSPC: no space left on device, write`);
  // the path is already named by the caller, and may hold anything.
  const short = message.replace(/,\s*\w+\s+'.*$/s, '').replace(/[\r\n]+/g, ' ');
  return typeof e?.code === 'string' && !short.startsWith(e.code) ? `${e.code}: ${short}` : short;
}

export const isCitewatchError = (e: unknown): e is CitewatchError => e instanceof CitewatchError;
