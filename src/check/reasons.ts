/**
 * Stable reasons in words, for finding messages and reports. The reason string stays the
 * machine-readable part; this is only its sentence.
 */

const STATUS_TEXT: Record<number, string> = {
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  407: 'Proxy Authentication Required',
  410: 'Gone',
  429: 'Too Many Requests',
  451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  999: 'request denied',
};

const REASONS: Record<string, string> = {
  'soft-404': 'the page answers but says it was not found',
  'redirect-to-root': "it now redirects to the site's front page",
  'redirect-to-404': 'it now redirects to an error page',
  'parked-domain': 'the domain is parked or for sale',
  'archive-excluded': 'the Wayback Machine has excluded this URL',
  'archive-robots': "the Wayback Machine does not show it because of the site's robots.txt",
  'archive-not-archived': 'the Wayback Machine has no capture at this address',
  'dns-not-found': 'the domain name no longer exists',
  'dns-not-found-unconfirmed':
    'the domain name did not resolve, and no other site answered to confirm the network',
  refused: 'the server refused the connection',
  'refused-unconfirmed':
    'the server refused the connection, and no other site answered to confirm the network',
  'dns-failure': 'the domain name could not be looked up',
  'bot-challenge': 'the site answered with a bot challenge',
  'retry-after-too-long': 'the site asked to come back much later',
  'host-unavailable': 'the site asked to come back much later, so it was not asked again in this run',
  'run-time': 'not checked: the run reached its time limit (--max-run-time)',
  timeout: 'the request timed out',
  reset: 'the connection was reset',
  tls: 'the TLS (https) connection failed',
  'too-many-redirects': 'too many redirects',
  'redirect-loop': 'the redirects go round in a loop',
  'no-response': 'no response',
  other: 'the request failed',
  offline: 'the network was offline',
  'address-not-allowed': 'the address is private or reserved',
  'unsupported-scheme': 'the URL scheme is not checked',
  'invalid-url': 'the URL is malformed',
  'other-shard': 'checked by another shard',
  paywall: 'behind a paywall',
  'login-wall': 'behind a login',
  found: 'registered',
  'not-found': 'not found',
  'no-values': 'registered without a target',
  'handle-server-error': 'the resolver reported an error',
  'invalid-response': 'the service answered something unexpected',
  'incorrect-id-format': 'the service rejects its format',
  'api-error': 'the service answered with an error',
  'soft-404-unconfirmed':
    'the page reads like a "not found" page, but the site could not be asked what its not-found page looks like',
  excluded: 'excluded by a rule',
  accepted: 'the status is accepted by a rule',
  override: 'treated as alive by an override',
};

/** `http-404` → `HTTP 404 Not Found`, `soft-404` → `the page answers but says it was not found`. */
export function describeReason(reason: string): string {
  const http = reason.match(/^http-(\d{3})$/);
  if (http) {
    const code = Number(http[1]);
    const text = STATUS_TEXT[code];
    return text ? `HTTP ${code} ${text}` : `HTTP ${code}`;
  }
  return REASONS[reason] ?? reason.replace(/-/g, ' ');
}
