/**
 * The `INPUT_*` environment the runner builds for a `uses:` step: the given `with:` values over
 * the defaults `action.yml` declares (read from the file, so the tests never drift from it).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { inputVariable } from '../../src/action/run.js';

const ACTION = join(resolve(import.meta.dirname, '..', '..'), 'action.yml');

export function actionInputs(given: Record<string, string>): Record<string, string> {
  const declared = (parse(readFileSync(ACTION, 'utf8')) as { inputs: Record<string, { default?: unknown }> })
    .inputs;
  const all: Record<string, string> = {};
  for (const [name, spec] of Object.entries(declared))
    all[name] = spec.default === undefined ? '' : String(spec.default);
  Object.assign(all, given);
  return Object.fromEntries(Object.entries(all).map(([k, v]) => [inputVariable(k), v]));
}
