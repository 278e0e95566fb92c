import { HttpError } from '../../lib/model/errors.js';
import { classifyAttempt } from '../../lib/streams/attempt-outcome.js';
import {
  BARE_500S_FOR_LANDING,
  decideDelivery,
  type DeliveryDecision,
  type DeliveryOutcome,
  type DeliveryState,
  initialDeliveryState,
} from '../../lib/streams/delivery-policy.js';

describe('the delivery policy (decideDelivery)', () => {
  // Backoff without jitter spread: retry n waits floor(0.5 * 100 * 2^(n-1)), capped at 1000.
  const config = {
    eventAttempts: 3,
    backoff: { initialDelay: 100, maxDelay: 1000, random: () => 0.5 },
  };
  const result = initialDeliveryState('result');
  const event = initialDeliveryState('event');
  const post = (
    attempt: Extract<DeliveryOutcome, { kind: 'post' }>['attempt'],
    serverWait?: number,
  ) => ({ kind: 'post', attempt, ...(serverWait !== undefined && { serverWait }) }) as const;
  const audit = (verdict: Extract<DeliveryOutcome, { kind: 'audit' }>['verdict']) =>
    ({ kind: 'audit', verdict }) as const;
  const health = (healthy: boolean) => ({ kind: 'health', healthy }) as const;
  const with_ = (base: DeliveryState, changes: Partial<DeliveryState>): DeliveryState => ({
    ...base,
    ...changes,
  });

  const cases: [
    string,
    DeliveryState,
    DeliveryOutcome,
    DeliveryDecision,
    Partial<DeliveryState>?,
  ][] = [
    ['202 → delivered', result, { kind: 'accepted' }, { do: 'delivered' }],
    [
      'a result refused for good → refused (FATAL instead)',
      result,
      post('refused'),
      { do: 'refused' },
    ],
    ['an event refused for good → refused', event, post('refused'), { do: 'refused' }],
    [
      'a 503 → retry after the backoff',
      result,
      post('failed'),
      { do: 'retry', after: 50 },
      { failures: 1, spent: 1 },
    ],
    [
      'a 503 with Retry-After → its wait, spending no attempt',
      event,
      post('throttled', 3000),
      { do: 'retry', after: 1000 },
      { failures: 1, spent: 0 },
    ],
    [
      'a drop → retry, remembered as ambiguous',
      result,
      post('ambiguous'),
      { do: 'retry', after: 50 },
      { ambiguous: true },
    ],
    [
      'a bare 500 with no ambiguous attempt before → retry, no audit',
      result,
      post('bare-500'),
      { do: 'retry', after: 50 },
      { ambiguous: false },
    ],
    [
      'a bare 500 after an ambiguous attempt → verify (ask the audit)',
      with_(result, { ambiguous: true }),
      post('bare-500'),
      { do: 'verify' },
    ],
    [
      'a bare 500 on a recovered result → verify (another client may have completed it)',
      initialDeliveryState('result', true),
      post('bare-500'),
      { do: 'verify' },
    ],
    [
      'a bare 500 on an event after a drop → retry (events have no state to read)',
      with_(event, { ambiguous: true }),
      post('bare-500'),
      { do: 'retry', after: 50 },
    ],
    [
      'the audit says SUCCESS or FATAL → verified',
      with_(result, { ambiguous: true }),
      audit('landed'),
      { do: 'verified' },
    ],
    [
      'the audit says PENDING → retry (it did not land)',
      with_(result, { ambiguous: true, failures: 2 }),
      audit('pending'),
      { do: 'retry', after: 100 },
    ],
    [
      'the audit fails for now (5xx) → retry, asked again next time',
      with_(result, { ambiguous: true, failures: 1 }),
      audit('unavailable'),
      { do: 'retry', after: 50 },
      { audit: 'usable' },
    ],
    [
      'the audit is refused or unreadable → check health before counting',
      with_(result, { ambiguous: true }),
      audit('unusable'),
      { do: 'check-health' },
      { audit: 'unusable' },
    ],
    [
      'without the audit, every later bare 500 asks health first',
      with_(result, { ambiguous: true, audit: 'unusable', bare500s: 3 }),
      post('bare-500'),
      { do: 'check-health' },
      { bare500s: 3 },
    ],
    [
      'healthy → one more counted bare 500, retry',
      with_(result, { ambiguous: true, audit: 'unusable', failures: 1 }),
      health(true),
      { do: 'retry', after: 50 },
      { bare500s: 1 },
    ],
    [
      `healthy at the ${BARE_500S_FOR_LANDING}th counted bare 500 → inferred`,
      with_(result, { ambiguous: true, audit: 'unusable', bare500s: BARE_500S_FOR_LANDING - 1 }),
      health(true),
      { do: 'inferred' },
    ],
    [
      'unhealthy → the count starts again, retry',
      with_(result, { ambiguous: true, audit: 'unusable', bare500s: 4, failures: 1 }),
      health(false),
      { do: 'retry', after: 50 },
      { bare500s: 0 },
    ],
    [
      'a result is never given up for failing: the 50th 503 → retry, capped',
      with_(result, { failures: 49, spent: 49 }),
      post('failed'),
      { do: 'retry', after: 500 },
    ],
    [
      'an event at its budget → give up',
      with_(event, { spent: 2 }),
      post('failed'),
      { do: 'give-up' },
      { spent: 3 },
    ],
    [
      'an event at its budget that drops → give up (at-least-once)',
      with_(event, { spent: 2 }),
      post('ambiguous'),
      { do: 'give-up' },
    ],
    [
      'the first 404 → retry at once (re-registration)',
      result,
      post('not-found'),
      { do: 'retry', after: 0 },
      { notFounds: 1 },
    ],
    [
      'a second 404 in a row → backoff',
      with_(result, { notFounds: 1, failures: 1 }),
      post('not-found'),
      { do: 'retry', after: 100 },
      { notFounds: 2 },
    ],
    [
      'a 404 after something else → at once again',
      with_(result, { notFounds: 0, failures: 3 }),
      post('not-found'),
      { do: 'retry', after: 0 },
    ],
    [
      'a 408 (request timeout) → retry, not refused',
      result,
      post(classify408()),
      { do: 'retry', after: 50 },
    ],
  ];

  for (const [name, state, outcome, decision, changes] of cases) {
    it(name, () => {
      const [next, actual] = decideDelivery(state, outcome, config);
      expect(actual).toEqual(decision);
      if (changes) expect(next).toEqual(jasmine.objectContaining(changes));
    });
  }

  it('is pure: the state given is not changed', () => {
    const state = with_(result, { ambiguous: true });
    const copy = { ...state };
    decideDelivery(state, post('bare-500'), config);
    expect(state).toEqual(copy);
  });
});

/** How a 408 on a post is classed (finding 10: a 408 is retried). */
function classify408() {
  return classifyAttempt(new HttpError({ method: 'POST', url: 'http://flyte/x', status: 408 }));
}
