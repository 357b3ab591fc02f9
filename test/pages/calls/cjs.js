// json-rpc-2.0 ships CommonJS only: its files (served from node_modules by scripts/serve.mjs
// under /vendor/json-rpc-2.0/) are run here with a small `require`, as a bundler would.
const BASE = '/vendor/json-rpc-2.0/';

export async function loadJsonRpc() {
  const names = ['index', 'client', 'interfaces', 'models', 'server', 'server-and-client', 'internal'];
  const texts = new Map(await Promise.all(names.map(async (n) => [n, await (await fetch(`${BASE}${n}.js`)).text()])));
  const done = new Map();
  const require = (spec) => {
    const name = spec.replace(/^\.\//, '').replace(/\.js$/, '');
    if (done.has(name)) return done.get(name).exports;
    if (!texts.has(name)) throw new Error(`json-rpc-2.0: no module ${spec}`);
    const module = { exports: {} };
    done.set(name, module);
    new Function('exports', 'require', 'module', texts.get(name))(module.exports, require, module);
    return module.exports;
  };
  return require('./index');
}
