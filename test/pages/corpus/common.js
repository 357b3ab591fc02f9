// Shared by the corpus pages: correct messaging that must produce no audit finding.
window.childOrigin = `http://localhost:${location.port}`;
window.settle = (n = 3) => new Promise((resolve) => {
  const step = (k) => (k ? setTimeout(() => step(k - 1), 20) : resolve());
  step(n);
});
window.finish = () => {
  window.scenarioDone = true;
  document.title += ' — done';
};
