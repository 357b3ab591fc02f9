// The page table's pages wait this long after they are ready before a row runs, in every
// column: the rows measure a page whose load is over, not its first second, in which the relay
// still watches window messages for a late handshake (extension/relay.ts).
export const SETTLE_MS = 1000;
export const settle = () => new Promise((ok) => setTimeout(ok, SETTLE_MS));
