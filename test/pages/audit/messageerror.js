// Expect: messageerror on the child's control port (frame localhost/audit/child.html): a
// WebAssembly.Module cannot be deserialized in another agent cluster (127.0.0.1 and
// localhost are different sites).
(async () => {
  const { control } = await openChild();
  // The smallest valid module: the magic number and version.
  const module = new WebAssembly.Module(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
  control.postMessage({ type: 'module', module });
  await settle(10);
  finish();
})();
