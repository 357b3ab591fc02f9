// Usage texts, one per command.
export const HELP = {
  main: `Usage: channel-inspector <command> [options]

Record, audit and summarise MessageChannel / MessagePort / postMessage traffic.

Commands:
  record <url>          load a page in Chromium or Firefox with the extension and write a trace
  audit <trace.json>    check a trace for lost messages, neutered transfers and risky messaging
  summary <trace.json>  frame tree, ports, port moves and message counts
  diff <before> <after> compare two recordings of one flow (for CI)

Run "channel-inspector <command> --help" for a command's options.
Exit status: 0 ok, 1 audit findings at or above --fail-on or diff differences, 2 bad usage or input.`,

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
  --workers                record inside dedicated workers too (Chromium: through the
                           debugger; Firefox: the worker script is filtered as it loads)
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
  --format <name>          text (default), json, junit (JUnit XML: one test case per rule)
                           or github (::error/::warning/::notice workflow commands)
  --json                   the same as --format json
  -h, --help               this text`,

  summary: `Usage: channel-inspector summary <trace.json>

Prints the frame tree with each context's ports, where ports moved, and message counts by
outcome and by via (port, window, worker, broadcast).

Options:
  -h, --help               this text`,

  diff: `Usage: channel-inspector diff <before.json> <after.json> [options]

Compares two recordings of the same flow: messages per route and per protocol call, lost
messages, new and gone findings (the audit runs again on both), call latency (median and
p95) and payload shapes per route. Ids and times are ignored: routes are keyed by the
contexts' origins and URL paths and by port roles.

Options:
  --tolerance <n|n%>       counts may differ by ±n messages or n% of before (default: exact).
                           Something present on one side only always differs.
  --latency-factor <x>     a median or p95 differs when it moved by more than this factor
                           (default: 2)...
  --latency-floor <ms>     ...and by more than this many ms (default: 5)
  --ignore-ports           leave port numbers out of origins (servers on a free port)
  --json                   print the whole comparison as JSON
  -h, --help               this text

Exit status: 0 no difference beyond tolerance, 1 differences, 2 bad usage or unreadable file.`,
} as const;
