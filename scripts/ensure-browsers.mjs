// Makes sure Chromium and Firefox ESR are on this machine before the tests start.
// Where one is missing and apt-get can be used (root), it installs Debian's package
// and says so; otherwise it stops with a message that says how to install it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { aptPackage, browserHelp, findBrowser } from './browsers.mjs';

export function ensureBrowsers(names = ['chromium', 'firefox']) {
  const missing = names.filter((n) => !findBrowser(n));
  if (missing.length === 0) return;
  const canApt = existsSync('/usr/bin/apt-get') && process.getuid?.() === 0;
  if (!canApt) {
    for (const n of missing) console.error(browserHelp(n));
    process.exit(1);
  }
  const pkgs = missing.map(aptPackage);
  console.log(`Installing ${pkgs.join(' and ')} from Debian's packages (apt-get) for the end-to-end tests…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
  for (const n of missing) if (!findBrowser(n)) throw new Error(`${browserHelp(n)} (apt-get install did not provide it)`);
}
