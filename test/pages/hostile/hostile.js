// A hostile page. It listens to every window message (capture and bubble, on window and
// document) and to every event type it can name, patches postMessage, addEventListener
// and MessagePort after load to see calls it did not make, and forges what the
// instrumentation's traffic could look like: bridge handshakes (window messages and
// synthetic MessageEvents carrying a port, with the key __channelInspectorBridge),
// batches shaped like the wire protocol, DOM events with bridge-like names. Its log must
// be the same with and without the extension, and none of its forgeries may reach the
// extension's background.
(function () {
  'use strict';
  var BRIDGE_KEY = '__channelInspectorBridge';
  var apply = Reflect.apply;
  var push = Array.prototype.push;
  var keysOf = Object.keys;
  var stringify = JSON.stringify;
  var own = 0; // > 0 while the hostile page's own code runs
  var log = {
    windowMessages: [],
    events: {},
    foreign: [],
    relayReplies: [],
    errors: [],
    probes: [],
  };
  window.__hostile = log;
  function add(arr, v) {
    apply(push, arr, [v]);
  }
  function mine(f) {
    return function () {
      own++;
      try {
        return apply(f, this, arguments);
      } finally {
        own--;
      }
    };
  }
  function describe(v, depth) {
    depth = depth || 0;
    if (v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
    if (typeof v === 'undefined') return '<undefined>';
    if (typeof v !== 'object') return '<' + typeof v + '>';
    if (depth > 4) return '<deep>';
    if (Array.isArray(v)) {
      var a = [];
      for (var i = 0; i < v.length; i++) add(a, describe(v[i], depth + 1));
      return a;
    }
    var proto = Object.getPrototypeOf(v);
    // A plain object of any realm (an about:blank child's too).
    if (proto !== null && Object.getPrototypeOf(proto) !== null) return '<' + Object.prototype.toString.call(v) + '>';
    var o = {};
    var ks = keysOf(v);
    for (var j = 0; j < ks.length; j++) o[ks[j]] = describe(v[ks[j]], depth + 1);
    return o;
  }
  function whichWindow(w) {
    if (w === null) return null;
    if (w === window) return 'self';
    for (var i = 0; i < window.length; i++) if (window[i] === w) return 'frame' + i;
    return 'other';
  }
  function looksLikeBridge(d) {
    return !!d && typeof d === 'object' && (BRIDGE_KEY in d || 't' in d || 'batch' in d);
  }

  // ───── a forged batch, shaped like the wire protocol (src/protocol/messages.ts) ─────
  function forgedBatch(tag, seq) {
    var at = performance.timeOrigin + performance.now();
    return {
      v: 1,
      doc: 'forged-' + tag,
      seq: seq,
      strings: [[1, 'forged stack']],
      events: [
        { k: 'context', at: at, kind: 'window', url: location.href, origin: location.origin, top: true },
        { k: 'channel', at: at, port1: 901, port2: 902 },
        { k: 'post', at: at, msg: 901, via: 'port', port: 901, transfer: [], predicted: { o: 'sent' }, stack: 1 },
        { k: 'deliver', at: at + 1, type: 'message', via: 'port', port: 902, ports: [], listeners: 1, preview: '"FORGED-' + tag + '"' },
        { k: 'post', at: at, msg: 902, via: 'window', target: { up: 0, down: [] }, targetOrigin: '*', transfer: [], predicted: { o: 'sent' } },
        { k: 'deliver', at: at + 1, type: 'message', via: 'window', source: { up: 0, down: [] }, origin: location.origin, ports: [], listeners: 1, preview: '"FORGED-' + tag + '-WINDOW"' },
      ],
    };
  }
  var forgedSeq = 1;
  /** Talks to a port that might be the relay's end: listens, then sends forged batches. */
  function onReply(port, label) {
    return mine(function (e) {
      add(log.relayReplies, { label: label, data: describe(e.data) });
      // Whoever told us that recording is on will forward batches: send some.
      var d = e.data;
      if (d && d.t === 'recording' && d.on === true) {
        port.postMessage({ t: 'batch', batch: forgedBatch('AFTER-RECORDING-' + label, 5000 + forgedSeq++) });
        port.postMessage({ t: 'batch', batch: forgedBatch('AFTER-RECORDING2-' + label, 5000 + forgedSeq++) });
      }
    });
  }
  function probePort(port, label) {
    port.addEventListener('message', onReply(port, label));
    port.start();
    port.postMessage({ t: 'batch', batch: forgedBatch('BATCH-' + label, forgedSeq++) });
    port.postMessage({ t: 'hello' });
    port.postMessage({ t: 'batch', batch: forgedBatch('BATCH2-' + label, 1000 + forgedSeq++) });
  }

  // ───── listen to every window message, everywhere ─────
  var seenPorts = [];
  function onWindowMessage(where) {
    return mine(function (e) {
      add(log.windowMessages, {
        where: where,
        data: describe(e.data),
        origin: e.origin === location.origin ? 'self-origin' : e.origin,
        source: whichWindow(e.source),
        ports: e.ports.length,
        isTrusted: e.isTrusted,
        phase: e.eventPhase,
      });
      // A port that comes with anything bridge-like: try to talk to whoever sent it.
      if (looksLikeBridge(e.data)) {
        for (var i = 0; i < e.ports.length; i++) {
          if (seenPorts.indexOf(e.ports[i]) >= 0) continue;
          add(seenPorts, e.ports[i]);
          probePort(e.ports[i], 'from-window-message-' + where);
        }
      }
    });
  }
  window.addEventListener('message', onWindowMessage('window-capture'), true);
  window.addEventListener('message', onWindowMessage('window-bubble'), false);
  window.addEventListener('messageerror', onWindowMessage('window-messageerror'), true);
  document.addEventListener('message', onWindowMessage('document-capture'), true);
  document.addEventListener('message', onWindowMessage('document-bubble'), false);
  window.onmessage = onWindowMessage('window-onmessage');

  // ───── every event type it can name, on window and document, both phases ─────
  var TYPES = [
    'message', 'messageerror', BRIDGE_KEY, 'channelInspector', 'channel-inspector', 'channelinspector', 'ci-relay', 'ci-panel',
    'ci-bridge', 'relay', 'bridge', 'batch', 'recording', 'hello', 'ack', 'connect', 'inspector', 'devtools', 'extension',
    'content-script', '__ci', 'ci', 'postMessage', 'port', 'record', 'snapshot', 'delta',
    'DOMContentLoaded', 'load', 'readystatechange', 'pageshow', 'error', 'unhandledrejection', 'rejectionhandled',
    'securitypolicyviolation', 'storage', 'hashchange', 'popstate', 'beforeunload', 'click', 'keydown', 'input', 'change',
    'submit', 'animationstart', 'transitionend', 'toggle', 'slotchange', 'fullscreenchange', 'languagechange', 'online',
    'offline', 'abort', 'timeupdate', 'copy', 'paste', 'contextmenu', 'mousedown', 'pointerdown', 'wheel', 'dragstart',
    'drop', 'loadstart', 'progress', 'loadend', 'beforeinput', 'compositionstart', 'formdata', 'reset', 'invalid', 'cancel',
    'close', 'beforematch', 'scrollend', 'visibilitychange', 'focus', 'blur', 'resize', 'scroll', 'selectionchange',
  ];
  // These depend on the window's focus and size, not on the page: counted apart.
  var UNSTABLE = ['visibilitychange', 'focus', 'blur', 'resize', 'scroll', 'selectionchange', 'scrollend'];
  function count(key) {
    return mine(function (e) {
      log.events[key] = (log.events[key] || 0) + 1;
      if (e instanceof CustomEvent && e.detail !== null && e.detail !== undefined) log.events[key + ' detail'] = describe(e.detail);
    });
  }
  for (var t = 0; t < TYPES.length; t++) {
    var type = TYPES[t];
    var unstable = UNSTABLE.indexOf(type) >= 0 ? 'unstable:' : '';
    window.addEventListener(type, count(unstable + 'window capture ' + type), true);
    window.addEventListener(type, count(unstable + 'window bubble ' + type), false);
    document.addEventListener(type, count(unstable + 'document capture ' + type), true);
    document.addEventListener(type, count(unstable + 'document bubble ' + type), false);
  }
  window.addEventListener('error', mine(function (e) { add(log.errors, String(e.message)); }));

  // ───── forgeries while the real handshake is still queued ─────
  var early = new MessageChannel();
  probePortLater(early.port1, 'early-synthetic');
  function probePortLater(port, label) {
    port.addEventListener('message', onReply(port, label));
    port.start();
  }
  var hello = {};
  hello[BRIDGE_KEY] = 1;
  // A synthetic MessageEvent with source === window and one port, as the relay expects.
  add(log.probes, ['dispatch forged hello', window.dispatchEvent(new MessageEvent('message', { data: hello, source: window, origin: location.origin, ports: [early.port2] }))]);
  // Send forged batches to that port now: if the relay adopted it, they go to the background.
  early.port1.postMessage({ t: 'batch', batch: forgedBatch('EARLY', 1) });
  // A real window message shaped like the handshake, with a port of ours.
  var early2 = new MessageChannel();
  probePortLater(early2.port1, 'early-posted');
  window.postMessage(hello, '*', [early2.port2]);
  early2.port1.postMessage({ t: 'batch', batch: forgedBatch('EARLY-POSTED', 1) });
  // Other versions of the handshake.
  for (var v = 0; v < 4; v++) {
    var hv = {};
    hv[BRIDGE_KEY] = v;
    var cv = new MessageChannel();
    probePortLater(cv.port1, 'early-v' + v);
    window.dispatchEvent(new MessageEvent('message', { data: hv, source: window, ports: [cv.port2] }));
    cv.port1.postMessage({ t: 'batch', batch: forgedBatch('EARLY-V' + v, 1) });
  }
  // An about:blank child, attacked before anything can have run in it.
  var blank = document.createElement('iframe');
  document.documentElement.appendChild(blank);
  var bw = blank.contentWindow;
  bw.addEventListener('message', mine(function (e) {
    add(log.windowMessages, { where: 'blank-capture', data: describe(e.data), source: whichWindow(e.source), ports: e.ports.length, isTrusted: e.isTrusted });
    if (looksLikeBridge(e.data) && e.ports.length) probePort(e.ports[0], 'blank-window-message');
  }), true);
  var blankChannel = new bw.MessageChannel();
  probePortLater(blankChannel.port1, 'blank-synthetic');
  var bh = new bw.Object();
  bh[BRIDGE_KEY] = 1;
  add(log.probes, ['dispatch forged hello in blank', bw.dispatchEvent(new bw.MessageEvent('message', { data: bh, source: bw, ports: [blankChannel.port2] }))]);
  blankChannel.port1.postMessage({ t: 'batch', batch: forgedBatch('BLANK', 1) });

  // ───── DOM events with bridge-like names and protocol-shaped details ─────
  function forgeDomEvents(label) {
    var names = [BRIDGE_KEY, 'channelInspector', 'ci-relay', 'ci-bridge', 'message', 'batch', 'recording'];
    for (var i = 0; i < names.length; i++) {
      window.dispatchEvent(new CustomEvent(names[i], { detail: { t: 'batch', batch: forgedBatch('DOM-' + label + '-' + i, 1) } }));
      document.dispatchEvent(new CustomEvent(names[i], { detail: { t: 'recording', on: true } }));
    }
    window.dispatchEvent(new MessageEvent('message', { data: { t: 'batch', batch: forgedBatch('SYNTH-' + label, 1) }, source: window }));
    window.postMessage({ t: 'batch', batch: forgedBatch('POSTED-' + label, 1) }, '*');
    window.postMessage({ t: 'recording', on: false }, '*');
    window.postMessage({ t: 'hello' }, '*');
  }
  forgeDomEvents('early');

  // ───── the page's real traffic, which the recording must hold ─────
  function realTraffic(label) {
    var c = new MessageChannel();
    c.port2.onmessage = mine(function (e) {
      add(log.probes, ['real port delivery', describe(e.data)]);
    });
    c.port1.postMessage('REAL-port-' + label + '-1');
    c.port1.postMessage('REAL-port-' + label + '-2');
    window.postMessage('REAL-window-' + label, '*');
  }
  realTraffic('early');

  // ───── after load: patch what the instrumentation might call, and forge again ─────
  // Once the page has loaded and its early window messages have all been delivered (the last
  // one posted is REAL-window-early; window messages from one window keep their order): the
  // standard does not order posted messages against the load event, so waiting for load alone
  // would make the log depend on which task the browser ran first.
  function afterEarly(fn) {
    var loaded = new Promise(function (resolve) { window.addEventListener('load', resolve, { once: true }); });
    var delivered = new Promise(function (resolve) {
      window.addEventListener('message', function onEarly(e) {
        if (e.data !== 'REAL-window-early') return;
        window.removeEventListener('message', onEarly);
        resolve();
      });
    });
    // Then a little longer, for what its frames post to it (their order against load is free too).
    Promise.all([loaded, delivered]).then(function () { setTimeout(fn, 300); });
  }
  afterEarly(mine(function () {
    // Every call is logged, the page's own included: those are the same with and without
    // the extension, so any extra entry is a call the instrumentation made through the page.
    var inTrap = false;
    function foreign(what, detail) {
      if (inTrap) return;
      inTrap = true;
      try {
        add(log.foreign, [what, own > 0 ? 'during page code' : 'outside page code', typeof detail === 'function' ? detail() : detail]);
      } finally {
        inTrap = false;
      }
    }
    var wpm = window.postMessage;
    window.postMessage = function (m) {
      foreign('window.postMessage', function () { return describe(m); });
      return apply(wpm, this, arguments);
    };
    var ppm = MessagePort.prototype.postMessage;
    MessagePort.prototype.postMessage = function (m) {
      foreign('MessagePort.postMessage', function () { return describe(m); });
      return apply(ppm, this, arguments);
    };
    var pstart = MessagePort.prototype.start;
    MessagePort.prototype.start = function () {
      foreign('MessagePort.start', null);
      return apply(pstart, this, arguments);
    };
    var ael = EventTarget.prototype.addEventListener;
    EventTarget.prototype.addEventListener = function (type) {
      foreign('addEventListener', String(type));
      return apply(ael, this, arguments);
    };
    var de = EventTarget.prototype.dispatchEvent;
    EventTarget.prototype.dispatchEvent = function (e) {
      foreign('dispatchEvent', String(e && e.type));
      return apply(de, this, arguments);
    };
    var stringifyNative = JSON.stringify;
    JSON.stringify = function (v) {
      foreign('JSON.stringify', typeof v);
      return apply(stringifyNative, JSON, arguments);
    };
    var pushNative = Array.prototype.push;
    Array.prototype.push = function () {
      foreign('Array.prototype.push', arguments.length);
      return apply(pushNative, this, arguments);
    };
    // Writes that fall through to prototype setters: protocol-shaped field names.
    var FIELDS = ['t', 'batch', 'events', 'strings', 'preview', 'seq', 'doc', 'on', 'k', 'stack', 'sample', 'source', 'name', 'wrappedBy', 'handled', 'originRead', 'replay', BRIDGE_KEY];
    FIELDS.forEach(function (k) {
      Object.defineProperty(Object.prototype, k, {
        configurable: true,
        get: function () {
          foreign('get Object.prototype.' + k, null);
          return undefined;
        },
        set: function (val) {
          foreign('set Object.prototype.' + k, function () { return describe(val); });
          Object.defineProperty(this, k, { value: val, writable: true, enumerable: true, configurable: true });
        },
      });
    });
    ['0', '1', '2', '3'].forEach(function (k) {
      Object.defineProperty(Array.prototype, k, {
        configurable: true,
        get: function () {
          foreign('get Array.prototype[' + k + ']', null);
          return undefined;
        },
        set: function (val) {
          foreign('set Array.prototype[' + k + ']', function () { return describe(val && typeof val === 'object' ? keysOf(val) : val); });
          Object.defineProperty(this, k, { value: val, writable: true, enumerable: true, configurable: true });
        },
      });
    });

    // Late forgeries.
    var late = new MessageChannel();
    probePortLater(late.port1, 'late-synthetic');
    window.dispatchEvent(new MessageEvent('message', { data: hello, source: window, ports: [late.port2] }));
    late.port1.postMessage({ t: 'batch', batch: forgedBatch('LATE', 1) });
    var late2 = new MessageChannel();
    probePortLater(late2.port1, 'late-posted');
    window.postMessage(hello, '*', [late2.port2]);
    late2.port1.postMessage({ t: 'batch', batch: forgedBatch('LATE-POSTED', 1) });
    forgeDomEvents('late');
    // Reach for an extension API from the page.
    var chromeRuntime = typeof window.chrome === 'object' && window.chrome ? typeof window.chrome.runtime : 'no chrome';
    add(log.probes, ['chrome.runtime', chromeRuntime, 'browser', typeof window.browser]);
    try {
      if (window.chrome && window.chrome.runtime && window.chrome.runtime.sendMessage) window.chrome.runtime.sendMessage('x', { t: 'hello' });
    } catch (e) {
      add(log.probes, ['chrome.runtime.sendMessage threw', e.name]);
    }
    realTraffic('late');

    setTimeout(mine(function () {
      // Clean up the prototype traps before anyone else serializes anything.
      FIELDS.forEach(function (k) { delete Object.prototype[k]; });
      ['0', '1', '2', '3'].forEach(function (k) { delete Array.prototype[k]; });
      Array.prototype.push = pushNative;
      JSON.stringify = stringifyNative;
      window.postMessage = wpm;
      MessagePort.prototype.postMessage = ppm;
      MessagePort.prototype.start = pstart;
      EventTarget.prototype.addEventListener = ael;
      EventTarget.prototype.dispatchEvent = de;
      // The log goes into the DOM, read by the test from the harness's isolated world: a
      // page.evaluate runs in this (main) world, and Playwright's evaluate writes its
      // arguments into a fresh array (parameters[0] = undefined), which the traps above log
      // as a foreign "set Array.prototype[0]" whenever the read lands while they are set.
      document.documentElement.setAttribute('data-hostile-result', stringify(log));
    }), 1500);
  }));
})();
