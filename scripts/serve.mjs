#!/usr/bin/env node
// Static server for the demo and test pages (test/pages). It listens on 127.0.0.1,
// 127.0.0.2 and localhost with one port, so that pages get up to three origins.
// Usage: node scripts/serve.mjs [--port N]
import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const PAGES_DIR = join(ROOT, 'test', 'pages');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

// Library bundles the decoder test pages (test/pages/decoders) load for real, by an
// allow-list: nothing else of node_modules is reachable.
const VENDOR = {
  '/vendor/comlink.mjs': join(ROOT, 'node_modules', 'comlink', 'dist', 'esm', 'comlink.mjs'),
  '/vendor/penpal.mjs': join(ROOT, 'node_modules', 'penpal', 'dist', 'penpal.mjs'),
  '/vendor/post-robot.js': join(ROOT, 'node_modules', 'post-robot', 'dist', 'post-robot.js'),
  '/vendor/json-rpc-2.0/index.js': join(ROOT, 'node_modules', 'json-rpc-2.0', 'dist', 'index.js'),
  '/vendor/json-rpc-2.0/client.js': join(ROOT, 'node_modules', 'json-rpc-2.0', 'dist', 'client.js'),
  '/vendor/json-rpc-2.0/interfaces.js': join(ROOT, 'node_modules', 'json-rpc-2.0', 'dist', 'interfaces.js'),
  '/vendor/json-rpc-2.0/models.js': join(ROOT, 'node_modules', 'json-rpc-2.0', 'dist', 'models.js'),
  '/vendor/json-rpc-2.0/server.js': join(ROOT, 'node_modules', 'json-rpc-2.0', 'dist', 'server.js'),
  '/vendor/json-rpc-2.0/server-and-client.js': join(ROOT, 'node_modules', 'json-rpc-2.0', 'dist', 'server-and-client.js'),
  '/vendor/birpc.mjs': join(ROOT, 'node_modules', 'birpc', 'dist', 'index.mjs'),
  '/vendor/postmate.js': join(ROOT, 'node_modules', 'postmate', 'build', 'postmate.dev.js'),
  '/vendor/promise-worker.js': join(ROOT, 'node_modules', 'promise-worker', 'dist', 'promise-worker.js'),
  '/vendor/promise-worker.register.js': join(ROOT, 'node_modules', 'promise-worker', 'dist', 'promise-worker.register.js'),
  '/vendor/workerpool.js': join(ROOT, 'node_modules', 'workerpool', 'dist', 'workerpool.js'),
  '/vendor/iframe-resizer/iframeResizer.js': join(ROOT, 'node_modules', 'iframe-resizer', 'js', 'iframeResizer.js'),
  '/vendor/iframe-resizer/iframeResizer.contentWindow.js': join(ROOT, 'node_modules', 'iframe-resizer', 'js', 'iframeResizer.contentWindow.js'),
  '/vendor/greenlet.umd.js': join(ROOT, 'node_modules', 'greenlet', 'dist', 'greenlet.umd.js'),
  '/vendor/broadcast-channel.js': join(ROOT, 'node_modules', 'broadcast-channel', 'dist', 'lib', 'browser.js'),
  '/vendor/json-rpc-2.0/internal.js': join(ROOT, 'node_modules', 'json-rpc-2.0', 'dist', 'internal.js'),
};
// Libraries shipped as several ES modules: a folder served under a prefix (no '..' escapes it).
const VENDOR_DIRS = {
  '/vendor/remote-ui-rpc/': join(ROOT, 'node_modules', '@remote-ui', 'rpc', 'build', 'esm'),
};

/**
 * Serves `dirs` (first match wins) on the loopback origins; resolves once all listen.
 * @param {{ port?: number, dirs?: string[], quiet?: boolean }} [options]
 * @returns {Promise<{ port: number, origin: (host?: string) => string, close: () => Promise<void> }>}
 */
export async function startServer({ port = 0, dirs = [PAGES_DIR], quiet = true } = {}) {
  const handler = async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      let path = decodeURIComponent(url.pathname);
      if (path.endsWith('/')) path += 'index.html';
      if (Object.hasOwn(VENDOR, path)) {
        res.writeHead(200, { 'content-type': TYPES['.mjs'], 'cache-control': 'no-store', 'access-control-allow-origin': '*' });
        res.end(await readFile(VENDOR[path]));
        return;
      }
      for (const [prefix, dir] of Object.entries(VENDOR_DIRS)) {
        if (!path.startsWith(prefix)) continue;
        const file = normalize(join(dir, path.slice(prefix.length)));
        if (!file.startsWith(dir + sep) || !file.endsWith('.mjs') || !(await stat(file).catch(() => null))?.isFile()) break;
        res.writeHead(200, { 'content-type': TYPES['.mjs'], 'cache-control': 'no-store', 'access-control-allow-origin': '*' });
        res.end(await readFile(file));
        return;
      }
      for (const dir of dirs) {
        const file = normalize(join(dir, path));
        if (!file.startsWith(dir + sep)) continue;
        const info = await stat(file).catch(() => null);
        if (!info?.isFile()) continue;
        const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' };
        // A page may ask for a response header through its query: ?csp=... (strict-CSP scenarios).
        const csp = url.searchParams.get('csp');
        if (csp) headers['content-security-policy'] = csp;
        res.writeHead(200, headers);
        res.end(await readFile(file));
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    }
  };
  const servers = [];
  const listen = (host, p) =>
    new Promise((ok, fail) => {
      const s = http.createServer(handler);
      s.once('error', fail);
      s.listen(p, host, () => {
        servers.push(s);
        ok(s.address().port);
      });
    });
  const actual = await listen('127.0.0.1', port);
  await listen('127.0.0.2', actual);
  // localhost may resolve to ::1 first; serve it there too when IPv6 loopback exists.
  await listen('::1', actual).catch(() => {});
  if (!quiet) console.log(`serving ${dirs.join(', ')} on http://127.0.0.1:${actual}/ (also localhost and 127.0.0.2)`);
  return {
    port: actual,
    origin: (host = '127.0.0.1') => `http://${host}:${actual}`,
    close: () => Promise.all(servers.map((s) => new Promise((ok) => s.close(() => ok())))).then(() => {}),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : 8080;
  await startServer({ port, quiet: false });
}
