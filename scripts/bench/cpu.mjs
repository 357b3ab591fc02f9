// CPU time of every Chromium and Firefox process this bench started, by role, from /proc (Linux): what a row costs the whole
// browser, not only the page's main thread. On a machine with few cores the extension's
// service worker and the browser process compete with the page for the same cores, which a
// throughput ratio shows only as "slower".
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const HZ = 100;
export const CPU_ROLES = ['page', 'extension', 'browser', 'other'];

/**
 * A browser process's role, or null for any other process. Chromium says it in its command
 * line (which it rewrites into one space-separated string); Firefox, whose content processes
 * come from a fork server, in the name of the process.
 */
function roleOf(pid) {
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
  if (/chrom/i.test(args[0])) {
    const type = args.find((a) => a.startsWith('--type='))?.slice(7);
    if (!type) return 'browser';
    if (type === 'renderer') return args.includes('--extension-process') ? 'extension' : 'page';
    return 'other'; // GPU, network and storage utilities, zygotes
  }
  if (!/firefox/i.test(args[0])) return null;
  const name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  if (/^firefox/i.test(name)) return 'browser';
  if (name === 'WebExtensions') return 'extension';
  if (/^(Web Content|Isolated Web Co|Privileged Cont)/.test(name)) return 'page';
  return 'other'; // socket, media, utility processes, the fork server
}

/** pid → { role, ms } for every browser process now; null where /proc is not there. */
export function cpuNow() {
  let pids;
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  // Only this bench's browsers: the descendants of this process. Other browsers on a shared
  // machine (other test runs) would otherwise count as the extension's cost.
  const stats = new Map();
  const parent = new Map();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name in parentheses (which may hold spaces): ppid is the 4th
      // field, utime the 14th, stime the 15th.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      stats.set(pid, f);
      parent.set(pid, f[1]);
    } catch {
      /* the process ended meanwhile */
    }
  }
  const self = String(process.pid);
  const ours = (pid) => {
    for (let p = pid, hops = 0; p && p !== '0' && hops < 64; p = parent.get(p), hops++) if (p === self) return true;
    return false;
  };
  const out = new Map();
  for (const [pid, f] of stats) {
    try {
      if (!ours(pid)) continue;
      const role = roleOf(pid);
      if (role === null) continue;
      out.set(pid, { role, ms: ((Number(f[11]) + Number(f[12])) * 1000) / HZ });
    } catch {
      /* the process ended meanwhile */
    }
  }
  return out;
}

/** CPU ms per role spent since `before` (a cpuNow()), null if either is missing. */
export function cpuSince(before) {
  const now = cpuNow();
  if (!before || !now) return null;
  const by = Object.fromEntries(CPU_ROLES.map((r) => [r, 0]));
  for (const [pid, p] of now) by[p.role] += p.ms - (before.get(pid)?.ms ?? 0);
  return by;
}
