// Usage texts, one per command.
export const HELP = {
  main: `Usage: channel-inspector <command> [options]

Record, audit and summarise MessageChannel / MessagePort / postMessage traffic.

Commands:
  record <url>          load a page in Chromium or Firefox with the extension and write a trace
  audit <trace.json>    check a trace for lost messages, neutered transfers and risky messaging
  summary <trace.json>  frame tree, ports, port moves and message counts

Run "channel-inspector <command> --help" for a command's options.
Exit status: 0 ok, 1 audit findings at or above --fail-on, 2 bad usage or input.`,

  record: `Usage: channel-inspector record <url> [options]

Launches a browser with the built extension, records the page from its first script, waits
until no new message arrives for --until-idle ms, then writes the trace and prints a summary.

Options:
  -o, --output <file>      trace file to write (default: trace.json)
  --browser <name>         chromium (default) or firefox (Firefox ESR)
  --until-idle <ms>        stop after this long without a new message (default: 1000)
  --timeout <ms>           give up loading after this long, and stop recording after it
                           even if the page is still busy (default: 30000)
  --headful                show the browser window (needs a display)
  --perfetto <file>        also write a Chrome trace event file (opens in ui.perfetto.dev)
  -h, --help               this text

Ctrl-C stops the recording early and still writes the trace.
The browsers are found at the usual Debian paths, or through CHROMIUM_PATH / FIREFOX_PATH.`,

  audit: `Usage: channel-inspector audit <trace.json> [options]

Re-runs every audit rule over the trace (the findings stored in the file are not trusted)
and prints the findings grouped by rule, with the send stacks and the HTML Standard section.

Options:
  --fail-on <severity>     exit 1 when a finding is at or above info, warning or error
                           (default: error)
  --json                   print the findings and the verdict as JSON
  -h, --help               this text`,

  summary: `Usage: channel-inspector summary <trace.json>

Prints the frame tree with each context's ports, where ports moved, and message counts by
outcome and by via (port, window, worker, broadcast).

Options:
  -h, --help               this text`,
} as const;
