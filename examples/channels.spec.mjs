// An end-to-end spec with the Channel Inspector fixture: load the page, use it as a person
// would, then assert that no message was lost. For @playwright/test (`npx playwright test`);
// this repository runs it in Chromium and Firefox ESR (test/e2e/helper.test.ts).
import { test as base, expect as baseExpect } from '@playwright/test';
import { channelInspectorFixtures, matchers } from 'channel-inspector/playwright';

// `page`, `context` and `channels`, recorded by the extension (Firefox ESR through Puppeteer).
const test = base.extend(channelInspectorFixtures());
const expect = baseExpect.extend(matchers);

test('the demo hands a port to its iframe and loses no message', async ({ page, channels }) => {
  // The app under test: here, the demo page this repository serves (npm run serve).
  await page.goto(process.env.DEMO_URL ?? 'http://127.0.0.1:8080/demo/index.html');
  await page.click('#ping');

  // Every message that should have arrived did: a lost one is an error finding (port never
  // started, posted on a shipped or closed port, ...). The demo's two warnings are known:
  // nobody listens for the child's "ready", and the child does not check event.origin.
  await expect(channels).toHaveNoFindings({ atLeast: 'error' });

  // The child answered the ping, the buffer and the click on its port.
  const third = await channels.waitForMessage({ via: 'port', from: '/child.html', data: /pong/ }, { count: 3 });
  if (third.outcome.status !== 'delivered') throw new Error(`pong was ${third.outcome.status}`);

  // Keep the trace next to the test results: open it in the extension's viewer, or diff it.
  if (process.env.TRACE_OUT) await channels.save(process.env.TRACE_OUT);
});
