/**
 * The action's entry point (bundled into `dist-action/index.mjs`): runs the action and sets the
 * exit code as the very last thing, once the outputs, the summary and the annotations are out.
 */
import { runAction } from './run.js';

process.exitCode = await runAction({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
  cwd: process.cwd(),
});
