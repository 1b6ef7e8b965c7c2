// zod: our modules write `import { z } from 'zod'`, zod's own idiom. That `z` is a namespace
// object re-exported as a value, which esbuild must build whole: every locale (47 of them), the
// JSON Schema reader, the compiler — 750 kB of the 1.56 MB bundle, parsed by every run.
// `import * as z from 'zod'` is the same object to the code, and esbuild resolves each `z.x`
// to the one export it names, so only what we call is bundled (about 200 kB). This plugin
// makes that change as the sources are bundled, so no module can bring the whole of zod back.
// Shared by scripts/build-cli.mjs and scripts/build-action.mjs.
import { readFile } from 'node:fs/promises';

const NAMED_Z = /^import \{ z \} from 'zod';$/gm;

/** @type {import('esbuild').Plugin} */
export const zodNamespace = {
  name: 'zod-namespace',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async ({ path }) => ({
      contents: (await readFile(path, 'utf8')).replace(NAMED_Z, "import * as z from 'zod';"),
      loader: 'ts',
    }));
  },
};
