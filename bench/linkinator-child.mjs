/**
 * linkinator 7.6.1 on the benchmark's links, alone in its process so its peak RSS is its own.
 * The parent serves one HTML page that links every URL of the workload; linkinator checks that
 * page without recursion (each link once, HEAD first, GET when HEAD fails — its own way).
 * linkinator sends requests with Node's global `fetch`, so the simulated names are resolved by
 * installing, as the global dispatcher, an undici Agent with Node's defaults and the simulator's
 * addresses as its lookup — nothing else about linkinator is changed. Prints one JSON line.
 *
 * node bench/linkinator-child.mjs --page URL --hosts FILE [--concurrency 64]
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { LinkChecker, LinkState } from 'linkinator';
import { Agent, setGlobalDispatcher } from 'undici';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
};

/**
 * Final status a correct checker reports per kind of link (the path says the kind): the same
 * as `EXPECTED_STATUS` in workload.ts, which plain JavaScript cannot import.
 */
const EXPECTED = { ok: 200, 'not-found': 404, gone: 410, 'soft-404': 200, moved: 200, 'head-405': 200 };

/** @type {Record<string, string>} name → loopback address */
const addresses = JSON.parse(readFileSync(arg('hosts'), 'utf8'));
const lookup = (hostname, options, callback) => {
  const cb = typeof options === 'function' ? options : callback;
  const all = typeof options === 'object' && options !== null && options.all === true;
  const address = addresses[hostname.toLowerCase()];
  process.nextTick(() => {
    if (address === undefined) {
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      cb(error, all ? [] : '', undefined);
    } else if (all) cb(null, [{ address, family: 4 }]);
    else cb(null, address, 4);
  });
};
setGlobalDispatcher(new Agent({ connect: { lookup } }));

const page = arg('page');
const checker = new LinkChecker();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const result = await checker.check({
  path: page,
  recurse: false,
  concurrency: Number(arg('concurrency', '64')),
});
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);

let links = 0;
let wrong = 0;
let broken = 0;
for (const link of result.links) {
  if (link.url === page) continue;
  links++;
  const kind = new URL(link.url).pathname.split('/')[2];
  if (link.status !== EXPECTED[kind]) wrong++;
  if (link.state === LinkState.BROKEN) broken++;
}
console.log(
  JSON.stringify({
    links,
    wallMs,
    wrong,
    broken,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
