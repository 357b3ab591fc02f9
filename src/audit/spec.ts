// Sections of the HTML Standard the rules cite (multipage ids).
const WM = 'https://html.spec.whatwg.org/multipage/web-messaging.html';
const SD = 'https://html.spec.whatwg.org/multipage/structured-data.html';

export const SPEC = {
  postingMessages: `${WM}#posting-messages`,
  windowPostMessageSteps: `${WM}#window-post-message-steps`,
  webMessaging: `${WM}#web-messaging`,
  portPostMessageSteps: `${WM}#message-port-post-message-steps`,
  portStart: `${WM}#dom-messageport-start`,
  portClose: `${WM}#dom-messageport-close`,
  portsAndGc: `${WM}#ports-and-garbage-collection`,
  serializeWithTransfer: `${SD}#structuredserializewithtransfer`,
  serializeInternal: `${SD}#structuredserializeinternal`,
  deserializeWithTransfer: `${SD}#structureddeserializewithtransfer`,
  workerPostMessage: 'https://html.spec.whatwg.org/multipage/workers.html#dom-worker-postmessage',
} as const;
