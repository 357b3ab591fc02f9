// The opener: window.open, then a port handed to the popup in a window message.
const log = (s) => (document.getElementById('log').textContent += s + '\n');
const popupOrigin = `http://localhost:${location.port}`;
let popup = null;
window.addEventListener('message', (e) => {
  if (e.origin !== popupOrigin) return;
  if (e.data === 'ready') {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = (m) => log(`popup answered ${m.data}`);
    popup.postMessage({ kind: 'port' }, popupOrigin, [port2]);
    port1.postMessage('ping');
  } else if (e.data === 'bye') {
    log('popup said bye');
    window.popupDone = true;
  }
});
/** Opens the popup; on load, or from the button (?click) where a popup needs a user's action. */
window.openPopup = () => {
  popup = window.open(`${popupOrigin}/popup/popup.html`, 'channel-inspector-popup', 'popup,width=480,height=320');
  if (!popup) log('the popup was blocked');
};
document.getElementById('open').onclick = window.openPopup;
window.closePopup = () => popup?.close();
if (!new URLSearchParams(location.search).has('click')) window.openPopup();
