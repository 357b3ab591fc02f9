// Builds the extension once for the whole e2e run.
import { buildAll } from '../../scripts/build.mjs';

export default async function setup() {
  if (!process.env.CI_SKIP_BUILD) await buildAll({ quiet: true });
}
