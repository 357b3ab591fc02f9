// Node entry bundled to dist/cli.mjs for the scripts (npm start, the channel-inspector bin).
export { printSummary, printMessages, printTopology } from './summary';
export { main, type CliDeps } from './main';
