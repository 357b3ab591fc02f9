postMessage('w1');
postMessage('w2');
