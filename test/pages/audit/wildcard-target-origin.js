// Expect: wildcard-target-origin, 1 message to frame localhost/audit/child.html, once the
// instrumentation can see sends to cross-origin windows. Today such a call runs a native
// cross-origin function in this page and is seen only at its delivery, without its
// targetOrigin, so the audit cannot tell (see docs/rules.md).
(async () => {
  const { frame } = await openChild();
  frame.contentWindow.postMessage({ type: 'token', value: 'secret' }, '*');
  await settle();
  finish();
})();
