import { launchAll } from '../scripts/bench/columns.mjs';
import { startServer } from '../scripts/serve.mjs';
const srv = await startServer();
const b = await launchAll();
const url = `${srv.origin()}/bench/index.html?xo=${encodeURIComponent(srv.origin('127.0.0.2'))}`;
for (const col of ['native', 'off']) {
  const p = await b.open(col, url, { settle: true });
  const { result } = await p.cdp.send('Runtime.evaluate', { expression: 'window' });
  const { listeners } = await p.cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
  console.log(col, listeners.map((l) => `${l.type}${l.useCapture ? '(capture)' : ''} line ${l.lineNumber} script ${l.scriptId}`));
  await p.close();
}
await b.close();
process.exit(0);
