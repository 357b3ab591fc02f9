// What extension/workers.ts needs of each engine's way into a tab's workers (issue 21).

/** One engine's way into a tab's workers. */
export interface WorkerEngine {
  /** Starts or stops instrumenting the tab's new workers; resolves with why it could not. */
  set(tabId: number, on: boolean): Promise<string | undefined>;
  /** The tab's top frame committed a new document. */
  navigated(tabId: number): void;
  /** Why the tab's workers are not instrumented although asked (the user closed the debugger bar...). */
  problem(tabId: number): string | undefined;
}
