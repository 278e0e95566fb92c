import { fatalEvent } from '../../lib/model/definitions.js';
import { toWireEvent } from '../../lib/model/wire-event.js';

describe('toWireEvent', () => {
  const now = Date.UTC(2024, 4, 1, 10, 0, 0, 123);

  it('uses the event name, the payload and `now` as RFC 3339 UTC', () => {
    expect(
      toWireEvent({ eventDef: { name: 'RotaRetrieved' }, payload: { onCall: 'Ann' } }, now),
    ).toEqual({
      event: 'RotaRetrieved',
      payload: { onCall: 'Ann' },
      createdAt: '2024-05-01T10:00:00.123Z',
    });
  });

  it("prefers the event's own createdAt", () => {
    const createdAt = new Date(Date.UTC(2023, 0, 2, 3, 4, 5));
    const wire = toWireEvent({ eventDef: { name: 'Seen' }, payload: 1, createdAt }, now);
    expect(wire.createdAt).toBe('2023-01-02T03:04:05.000Z');
  });

  it('falls back to `now` when createdAt is an invalid date', () => {
    const wire = toWireEvent(
      { eventDef: { name: 'Seen' }, payload: 1, createdAt: new Date(NaN) },
      now,
    );
    expect(wire.createdAt).toBe('2024-05-01T10:00:00.123Z');
  });

  it('maps a FATAL event to the event name FATAL', () => {
    expect(toWireEvent(fatalEvent('boom'), now).event).toBe('FATAL');
    expect(toWireEvent(fatalEvent('boom'), now).payload).toBe('boom');
  });
});
