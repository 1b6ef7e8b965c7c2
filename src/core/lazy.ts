/**
 * Modules only some runs need, loaded on first use: cheerio (HTML inputs, page bodies, arXiv
 * feeds) and the public suffix list (shards). An offline run of a wikitext article never pays
 * for them (about 120 ms and 75 ms of CPU at start-up on the reference machine).
 * `require` keeps the call sites synchronous; these packages ship a CommonJS build.
 */
import { createRequire } from 'node:module';

type CheerioLoad = typeof import('cheerio/slim').load;
type GetDomain = typeof import('tldts').getDomain;

const require = createRequire(import.meta.url);
let cheerioLoad: CheerioLoad | undefined;
let tldtsGetDomain: GetDomain | undefined;

/** cheerio's `load` (`cheerio/slim`: htmlparser2, no parse5). */
export const loadHtml: CheerioLoad = (...args) => {
  cheerioLoad ??= (require('cheerio/slim') as typeof import('cheerio/slim')).load;
  return cheerioLoad(...args);
};

/** tldts's `getDomain`: the registrable domain of a host name. */
export const getDomain: GetDomain = (...args) => {
  tldtsGetDomain ??= (require('tldts') as typeof import('tldts')).getDomain;
  return tldtsGetDomain(...args);
};
