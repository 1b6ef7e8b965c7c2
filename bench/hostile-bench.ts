/**
 * Hostile hosts on the loopback simulator, timed on the fetcher's virtual clock (what the run
 * would take in real time, without waiting for it): a tarpit link, a 429 storm, a host whose
 * Retry-After is above the cap. Prints one line per scenario: virtual time and requests sent.
 *
 *   npx tsx bench/hostile-bench.ts
 */
import { createFetcher, fetcherOptionsFromDefaults } from '../src/net/index.js';
import { behaviours, createTestClock, type Route, startSimulator } from '../tests/support/simulator.js';

/** `/hop/N` answers `429 Retry-After: 5` twice, then redirects to `/hop/N+1`; `/hop/10` is a page. */
const tarpit: Route = (req, res, ctx) => {
  const n = Number((req.url ?? '').split('/').at(-1));
  if (ctx.hit <= 2) return behaviours.rateLimited({ seconds: 5, times: 99 })(req, res, ctx);
  if (n >= 10) return behaviours.ok()(req, res, ctx);
  return behaviours.redirect(`/hop/${n + 1}`, 302)(req, res, ctx);
};

interface Scenario {
  name: string;
  route: Route;
  links: number;
}

const stormAnswers = (): Route => {
  let hits = 0;
  return (req, res, ctx) => {
    hits++;
    if (hits <= 8) return behaviours.rateLimited({ seconds: 1, times: 99 })(req, res, ctx);
    return behaviours.ok()(req, res, ctx);
  };
};

const scenarios: Scenario[] = [
  {
    name: 'tarpit: 1 link, 10 redirects each behind two 429 Retry-After: 5 (--timeout 30 s)',
    route: tarpit,
    links: 1,
  },
  {
    name: '429 storm: 8 answers 429 Retry-After: 1, then normal; 12 links',
    route: stormAnswers(),
    links: 12,
  },
  {
    name: 'Retry-After 3600 s (cap 60 s): 20 links at the host',
    route: behaviours.rateLimited({ seconds: 3600, times: 9999 }),
    links: 20,
  },
];

for (const scenario of scenarios) {
  const sim = await startSimulator([{ name: 'hostile.test', fallback: scenario.route }]);
  const clock = createTestClock();
  // Defaults (2 per host, 1000 ms apart, 2 retries, 30 s timeout, 60 s cap) on the virtual clock.
  const fetcher = createFetcher(fetcherOptionsFromDefaults({ allowNetwork: ['127.0.0.0/8'] }), {
    lookup: sim.lookup,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
  });
  const t0 = clock.now();
  const path = (i: number): string => (scenario.route === tarpit ? '/hop/0' : `/p${i}`);
  const results = await Promise.all(
    Array.from({ length: scenario.links }, (_, i) =>
      fetcher.fetch({ url: sim.url('hostile.test', path(i)) }),
    ),
  );
  const seconds = ((clock.now() - t0) / 1000).toFixed(1);
  const outcomes = new Map<string, number>();
  for (const r of results) {
    const key = r.error?.kind ?? String(r.status);
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  }
  console.log(
    `${scenario.name}: ${seconds} s virtual, ${sim.requests.length} requests, ${[...outcomes]
      .map(([k, n]) => `${n}× ${k}`)
      .join(', ')}`,
  );
  await fetcher.close();
  await sim.close();
}
