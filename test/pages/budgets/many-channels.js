// Keeps every channel alive, so that nothing the page made is collected before it is recorded.
const n = Number(new URLSearchParams(location.search).get('n')) || 300000;
const kept = [];
for (let i = 0; i < n; i++) kept.push(new MessageChannel());
window.madeChannels = kept.length;
