// Node entry bundled to dist/cli.mjs for the scripts (npm start, the CLI).
export { printSummary, printMessages, printTopology } from './summary';
