// A stand-in for @playwright/test in the fresh offline project that test/e2e/package.test.ts
// installs the packed tarball into, where the real runner cannot be installed (this repository
// runs the spec under the real runner in test/e2e/helper.test.ts). It covers the part of the
// API the example spec uses: test(), test.extend() with fixtures resolved from each function's
// destructured first parameter, as Playwright does, and expect.extend() with async matchers
// and .not. `runTests` runs what was registered.
const registered = [];

/** Names in a function's first parameter, `({ page, channels }, …) =>`. */
function wants(fn) {
  const m = /^(?:async\s*)?(?:function[^(]*)?\(\s*\{([^}]*)\}/.exec(fn.toString());
  return m ? m[1].split(',').map((s) => s.split(':')[0].trim()).filter(Boolean) : [];
}

function makeTest(fixtures) {
  const test = (name, body) => registered.push({ name, body, fixtures });
  test.extend = (more) => makeTest({ ...fixtures, ...more });
  return test;
}

export const test = makeTest({});

/** Sets up what `fn` asks for (and what those need), calls it, then tears down in reverse. */
async function withFixtures(fixtures, builtins, fn) {
  const values = new Map(Object.entries(builtins));
  const teardowns = [];
  const setup = async (name) => {
    if (values.has(name)) return;
    const def = fixtures[name];
    if (typeof def !== 'function') throw new Error(`unknown fixture "${name}"`);
    for (const dep of wants(def)) await setup(dep);
    const arg = Object.fromEntries(wants(def).map((d) => [d, values.get(d)]));
    await new Promise((ready, fail) => {
      let release;
      const done = def(arg, async (value) => {
        values.set(name, value);
        ready();
        await new Promise((r) => (release = r));
      });
      teardowns.push(() => {
        release?.();
        return done;
      });
      done.catch(fail);
    });
  };
  try {
    for (const name of wants(fn)) await setup(name);
    await fn(Object.fromEntries(wants(fn).map((n) => [n, values.get(n)])));
  } finally {
    for (const t of teardowns.reverse()) await t();
  }
}

/** Runs every registered test with the given built-in fixtures; never throws: results say. */
export async function runTests(builtins = {}) {
  const results = [];
  for (const t of registered) {
    try {
      await withFixtures(t.fixtures, builtins, t.body);
      results.push({ name: t.name, ok: true, error: null });
    } catch (e) {
      results.push({ name: t.name, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return results;
}

class MatcherError extends Error {
  name = 'Error';
}

function makeExpect(matchers) {
  const expect = (received) => {
    const call = (negate) =>
      Object.fromEntries(
        Object.entries(matchers).map(([name, m]) => [
          name,
          async (...args) => {
            const r = await m.call({ isNot: negate }, received, ...args);
            if (r.pass === negate) throw new MatcherError(r.message());
          },
        ]),
      );
    return { ...call(false), not: call(true) };
  };
  expect.extend = (more) => makeExpect({ ...matchers, ...more });
  return expect;
}

export const expect = makeExpect({});
