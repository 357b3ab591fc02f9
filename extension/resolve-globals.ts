// Evaluated first in the MAIN-world bundle. Firefox defines many globals lazily and
// lists them in the order they were first touched; enumerating them all now, in the
// engine's own order, keeps the order a page sees the same as without the extension.
Object.getOwnPropertyNames(globalThis);
