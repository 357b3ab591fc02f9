// The naive reference wrapper: the obvious way to log traffic. One array entry per send
// and per delivery, holding the data, with nothing dropped or batched.
(() => {
  const log = [];
  Object.defineProperty(window, '__naiveLog', { value: log });
  const now = () => performance.now();
  const wrapPost = (obj) => {
    const post = obj.postMessage;
    obj.postMessage = function (data, ...rest) {
      log.push({ k: 'post', at: now(), data });
      return post.call(this, data, ...rest);
    };
  };
  wrapPost(MessagePort.prototype);
  wrapPost(window); // Window is a [Global]: its postMessage is an own property.
  const wrapped = new WeakMap();
  const wrapListener = (fn) => {
    if (typeof fn !== 'function') return fn;
    let w = wrapped.get(fn);
    if (!w) {
      w = function (e) {
        log.push({ k: 'deliver', at: now(), data: e.data });
        return fn.call(this, e);
      };
      wrapped.set(fn, w);
    }
    return w;
  };
  const add = EventTarget.prototype.addEventListener;
  const remove = EventTarget.prototype.removeEventListener;
  EventTarget.prototype.addEventListener = function (type, fn, opts) {
    return add.call(this, type, type === 'message' ? wrapListener(fn) : fn, opts);
  };
  EventTarget.prototype.removeEventListener = function (type, fn, opts) {
    return remove.call(this, type, type === 'message' ? wrapped.get(fn) ?? fn : fn, opts);
  };
  for (const obj of [MessagePort.prototype, window]) {
    const d = Object.getOwnPropertyDescriptor(obj, 'onmessage') ?? Object.getOwnPropertyDescriptor(Object.getPrototypeOf(obj), 'onmessage');
    Object.defineProperty(obj, 'onmessage', {
      configurable: true,
      enumerable: d.enumerable,
      get: d.get,
      set(fn) { d.set.call(this, wrapListener(fn)); },
    });
  }
})();
