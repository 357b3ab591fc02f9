// Every UI text of the debugging features (message breakpoints, Store as global variable), read
// from the message catalogue in the browser's UI language (panels/i18n.ts). Getters: a text is
// looked up when shown.
import { msg } from './i18n';

export const T = {
  get viewTitle() { return msg('viewBreakpoints'); },
  get intro() { return msg('bpIntro'); },
  get addTitle() { return msg('bpAddTitle'); },
  get on() { return msg('bpOn'); },
  get onDeliver() { return msg('bpOnDeliver'); },
  get onSend() { return msg('bpOnSend'); },
  get via() { return msg('bpVia'); },
  get any() { return msg('bpAny'); },
  get protocol() { return msg('bpProtocol'); },
  get call() { return msg('bpCall'); },
  get callPlaceholder() { return msg('bpCallPlaceholder'); },
  get text() { return msg('bpText'); },
  get origin() { return msg('bpOrigin'); },
  get outcome() { return msg('bpOutcome'); },
  get add() { return msg('bpAdd'); },
  get addFromFilter() { return msg('bpAddFromFilter'); },
  get none() { return msg('bpNone'); },
  get enabled() { return msg('bpEnabled'); },
  get remove() { return msg('bpRemove'); },
  get breakLikeThis() { return msg('bpBreakLikeThis'); },
  added: (what: string) => msg('bpAdded', what),
  get everyMessage() { return msg('bpEveryMessage'); },
  // Why a breakpoint cannot pause where one expects.
  get inWorker() { return msg('bpInWorker'); },
  get windowSend() { return msg('bpWindowSend'); },
  get otherSend() { return msg('bpOtherSend'); },
  get payloadOnSend() { return msg('bpPayloadOnSend'); },
  get goneTarget() { return msg('bpGoneTarget'); },
  get firefoxStep() { return msg('bpFirefoxStep'); },
  get paused() { return msg('bpPaused'); },
  // Store as global variable.
  get storeGlobal() { return msg('storeGlobal'); },
  get storePort() { return msg('storePort'); },
  storeTransfer: (i: number) => msg('storeTransfer', i + 1),
  storedReal: (name: string, where: string) => msg('storedReal', name, where),
  storedCopy: (name: string, where: string) => msg('storedCopy', name, where),
  storeFailed: (why: string) => msg('storeFailed', why),
  get storing() { return msg('storing'); },
};
