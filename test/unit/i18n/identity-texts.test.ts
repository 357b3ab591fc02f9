// A port's identity reason (PortIdentity.text) rendered in English is exactly the `why` the
// background writes (src/aggregate/port-identity.ts, session.ts), which trace files keep.
import { describe, expect, it } from 'vitest';
import { english } from '../../../src/audit/text';

describe('port identity reasons', () => {
  it('render in English as the background words them', () => {
    expect(english({ key: 'idWhy_send_unseen', args: [] })).toBe('arrived in a message whose send is not seen, and nothing decided between the ports its sender held');
    expect(english({ key: 'idWhy_evicted_as', args: [{ port: 7 }] })).toBe('it is port #7, whose record was evicted by the port budget');
    expect(english({ key: 'idWhy_worker_inside', args: [] })).toBe('came from a worker whose inside is not seen: made there, or one of the ports it held');
    expect(english({ key: 'idWhy_evicted', args: [] })).toBe('its earlier record was evicted by the port budget');
  });
});
