// workerpool's worker side: registers two functions.
importScripts('/vendor/workerpool.js');
const fib = (n) => (n < 2 ? n : fib(n - 1) + fib(n - 2));
workerpool.worker({
  fib,
  boom() {
    throw new Error('boom in the worker');
  },
});
