// A package-lock.json for an empty project that depends on `name` (a local tarball) and on
// what it depends on, pinned to the versions in this repository's lock: npm then takes every
// tarball from its local cache by integrity (npm install --offline needs no registry
// metadata), as a fresh machine would from the registry.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where `dep` resolves from the package at `from` (node_modules/a/node_modules/b …), as Node looks it up. */
function resolveIn(packages, from, dep) {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${dep}`;
    if (packages[candidate]) return candidate;
    if (!base) return null;
    const i = base.lastIndexOf('node_modules/');
    base = i <= 0 ? '' : base.slice(0, i - 1);
  }
}

/**
 * @param {string} root this repository
 * @param {{ name: string, version: string, tarball: string, dependencies: Record<string, string> }} pkg the packed package
 */
export function offlineLock(root, pkg) {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const src = lock.packages;
  const out = {};
  const visit = (path) => {
    if (out[path]) return;
    const { dev, devOptional, peer, ...entry } = src[path];
    out[path] = { ...entry, dev: true };
    const deps = { ...entry.dependencies, ...entry.optionalDependencies };
    for (const dep of Object.keys(deps)) {
      const at = resolveIn(src, path, dep);
      if (at) visit(at);
      else if (!entry.optionalDependencies?.[dep]) throw new Error(`${dep} (needed by ${path}) is not in package-lock.json`);
    }
  };
  for (const dep of Object.keys(pkg.dependencies)) visit(`node_modules/${dep}`);
  return {
    name: 'my-app',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'my-app', devDependencies: { [pkg.name]: `file:${pkg.tarball}` } },
      [`node_modules/${pkg.name}`]: { version: pkg.version, resolved: `file:${pkg.tarball}`, dev: true, license: 'MIT', dependencies: pkg.dependencies, bin: { 'channel-inspector': 'scripts/cli.mjs' } },
      ...out,
    },
  };
}
