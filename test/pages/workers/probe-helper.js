self.helperValue = `helper at ${location.pathname} line ${new Error().stack.split('\n')[0].length > 0 ? 'ok' : '?'}`;
