import { HttpError, PackNotFoundError } from '../../lib/model/errors.js';
import type { PollOutcome } from '../../lib/model/outcomes.js';
import { commandBacklog, commandTaken } from '../../lib/streams/command-backlog.js';
import { resolveTakeContention } from '../../lib/streams/take-contention.js';
import {
  decideTake,
  initialTakeState,
  RACE_SHARE_TAKES,
  STAGGER_RUN,
  type TakeDecision,
  type TakeEvent,
  type TakeNext,
  type TakePolicyConfig,
  type TakeState,
} from '../../lib/streams/take-policy.js';

const url = 'http://flyte/v1/packs/p/actions/take';
const race = new HttpError({ method: 'POST', url, status: 500 });
const said500 = new HttpError({ method: 'POST', url, status: 500, body: 'db down' });
const notFound = new PackNotFoundError({ method: 'POST', url, status: 404 });

const config: TakePolicyConfig = {
  lanes: 4,
  growth: 0.1,
  stagger: 2,
  pollInterval: 5000,
  burst: { first: 100, factor: 2 },
  // Races wait 4 ms doubling up to 40; a health check after 3 in a row; past it up to 1000.
  contention: resolveTakeContention({
    minWait: 4,
    maxWait: 4,
    longestWait: 40,
    checkHealthAfter: 3,
    random: () => 0.5,
  }),
  backoff: { initialDelay: 10, random: () => 0.5 }, // failures wait 5, 10, 20, ...
  commands: ['A', 'B'],
};

const base = initialTakeState(config);
const withA = { ...base, backlog: commandTaken(commandBacklog(['A', 'B']), 'A') };

interface Case {
  readonly name: string;
  readonly state?: Partial<TakeState>;
  readonly event: TakeEvent;
  /** The parts of the decision that matter, its state's included. */
  readonly decision: {
    readonly kind: TakeDecision['kind'];
    readonly outcome?: PollOutcome['kind'];
    readonly next?: TakeNext;
    readonly ms?: number;
    readonly command?: string;
  };
  readonly state_?: Partial<TakeState>;
  readonly config?: Partial<TakePolicyConfig>;
  /** The decision is exactly this (no command, say), not merely containing it. */
  readonly exact?: true;
}

const cases: Case[] = [
  // How many takes are in flight: the window.
  {
    name: 'an action: take again at once, the window grows by growth / lanes',
    state: { inFlight: 1 },
    event: { kind: 'answered', lane: 0, action: { command: 'A' } },
    decision: { kind: 'ended', outcome: 'action', next: { kind: 'again' } },
    state_: { window: 1.1, inFlight: 0, empties: 0 },
  },
  {
    name: 'the tenth action in a row opens a second lane',
    state: { window: 1.95, inFlight: 1 },
    event: { kind: 'answered', lane: 0, action: { command: 'A' } },
    decision: { kind: 'ended', outcome: 'action' },
    state_: { window: 2.05 },
  },
  {
    name: 'an action on an extra lane: go on while the window stays open past it',
    state: { window: 2, inFlight: 2 },
    event: { kind: 'answered', lane: 1, action: { command: 'B' } },
    decision: { kind: 'ended', outcome: 'action', next: { kind: 'window', ms: 0 } },
    state_: { window: 2.05, inFlight: 1 },
  },
  {
    name: 'the window never grows past maxTakesInFlight',
    state: { window: 4, inFlight: 1 },
    event: { kind: 'answered', lane: 0, action: { command: 'A' } },
    decision: { kind: 'ended', outcome: 'action' },
    state_: { window: 4 },
  },
  {
    name: 'an empty take closes the window to one lane and waits the poll interval',
    state: { window: 3.5, inFlight: 1 },
    event: { kind: 'answered', lane: 0, action: null },
    decision: { kind: 'ended', outcome: 'empty', next: { kind: 'wait', ms: 5000, cutTo: 100 } },
    state_: { window: 1 },
  },
  {
    name: 'an empty take of one command forgets the command, keeps the window, waits nothing',
    state: { ...withA, window: 3, inFlight: 1 },
    event: { kind: 'answered', lane: 2, command: 'A', action: null },
    decision: { kind: 'ended', outcome: 'empty', next: { kind: 'window', ms: 0 } },
    state_: { window: 3, backlog: commandBacklog(['A', 'B']) },
  },
  // Burst polling.
  {
    name: 'burst: the first empty take after activity waits `first`',
    state: { empties: 0, inFlight: 1 },
    event: { kind: 'answered', lane: 0, action: null },
    decision: { kind: 'ended', next: { kind: 'wait', ms: 100, cutTo: 100 } },
    state_: { empties: 1 },
  },
  {
    name: 'burst: each further empty take waits `factor` times longer',
    state: { empties: 3, inFlight: 1 },
    event: { kind: 'answered', lane: 0, action: null },
    decision: { kind: 'ended', next: { kind: 'wait', ms: 800, cutTo: 100 } },
    state_: { empties: 4 },
  },
  {
    name: 'no burst: the poll interval, with nothing to cut it',
    config: { burst: false },
    state: { empties: 0, inFlight: 1 },
    event: { kind: 'answered', lane: 0, action: null },
    decision: { kind: 'ended', next: { kind: 'wait', ms: 5000 } },
  },
  {
    name: 'activity starts the burst again',
    state: { empties: 7 },
    event: { kind: 'activity' },
    decision: { kind: 'noted' },
    state_: { empties: 0 },
  },
  {
    name: 'a wait cut by activity counts as the burst’s first',
    state: { empties: 0 },
    event: { kind: 'cut' },
    decision: { kind: 'noted' },
    state_: { empties: 1 },
  },
  // Spacing.
  {
    name: 'no race lately: a take goes at once, even beside one in flight',
    state: { inFlight: 1, latestSend: 10 },
    event: { kind: 'book', lane: 1, now: 10 },
    decision: { kind: 'delay', ms: 0 },
  },
  {
    name: 'after a race: a take beside one in flight goes `stagger` after the latest send',
    state: { inFlight: 1, latestSend: 10, spreadFor: 5 },
    event: { kind: 'book', lane: 1, now: 11 },
    decision: { kind: 'delay', ms: 1 },
    state_: { latestSend: 12 },
  },
  {
    name: 'after a race: spaced from a take booked for later, though none is in flight',
    state: { inFlight: 0, latestSend: 13, spreadFor: 5 },
    event: { kind: 'book', lane: 1, now: 12 },
    decision: { kind: 'delay', ms: 3 },
    state_: { latestSend: 15 },
  },
  {
    name: 'one lane only: never spaced',
    config: { lanes: 1 },
    state: { inFlight: 0, latestSend: 10, spreadFor: 5 },
    event: { kind: 'book', lane: 0, now: 10 },
    decision: { kind: 'delay', ms: 0 },
  },
  {
    name: 'after a race: a take sent less than `stagger` after the latest send holds for the rest',
    state: { window: 2, inFlight: 1, sentAt: 10, spreadFor: 5 },
    event: { kind: 'send', lane: 1, freeSlots: 3, now: 11 },
    decision: { kind: 'hold', next: { kind: 'wait', ms: 1 } },
    state_: { inFlight: 1, sentAt: 10 },
  },
  {
    name: 'a held take’s booking is void: booked again after the hold, it goes at once',
    state: { window: 2, inFlight: 1, sentAt: 10, latestSend: 11, spreadFor: 5 },
    event: { kind: 'send', lane: 1, freeSlots: 3, now: 11 },
    decision: { kind: 'hold', next: { kind: 'wait', ms: 1 } },
    state_: { latestSend: 10 },
  },
  {
    name: 'after a race: a take `stagger` after the latest send goes, and is the latest sent',
    state: { window: 2, inFlight: 1, sentAt: 10, spreadFor: 5 },
    event: { kind: 'send', lane: 1, freeSlots: 3, now: 12 },
    decision: { kind: 'send' },
    state_: { inFlight: 2, sentAt: 12 },
  },
  {
    name: 'after a race: with none in flight a take goes however recent the latest send',
    state: { inFlight: 0, sentAt: 10, spreadFor: 5 },
    event: { kind: 'send', lane: 0, freeSlots: 3, now: 11 },
    decision: { kind: 'send' },
    state_: { inFlight: 1, sentAt: 11 },
  },
  {
    name: 'no race lately: a take goes however recent the latest send',
    state: { window: 2, inFlight: 1, sentAt: 10 },
    event: { kind: 'send', lane: 1, freeSlots: 3, now: 11 },
    decision: { kind: 'send' },
    state_: { inFlight: 2, sentAt: 11 },
  },
  {
    name: 'a race keeps the takes spread for a thousand actions: unspread, two lanes race again at once',
    state: { window: 2, inFlight: 1 },
    event: { kind: 'failed', lane: 1, error: race },
    decision: { kind: 'ended', outcome: 'contention' },
    state_: { spreadFor: 1000 },
  },
  {
    name: `a race spreads the takes for the next ${STAGGER_RUN} actions; each action counts down`,
    state: { spreadFor: 3, inFlight: 1 },
    event: { kind: 'answered', lane: 0, action: { command: 'A' } },
    decision: { kind: 'ended' },
    state_: { spreadFor: 2 },
  },
  // Sending, and the per-command choice.
  {
    name: 'lane 0 sends without a command filter',
    state: withA,
    event: { kind: 'send', lane: 0, freeSlots: 1, now: 0 },
    decision: { kind: 'send' },
    exact: true,
    state_: { inFlight: 1 },
  },
  {
    name: 'an extra lane asks for a command with a backlog',
    state: { ...withA, window: 2 },
    event: { kind: 'send', lane: 1, freeSlots: 1, now: 0 },
    decision: { kind: 'send', command: 'A' },
    state_: { inFlight: 1 },
  },
  {
    name: 'an extra lane without a known backlog takes without a filter',
    state: { window: 2 },
    event: { kind: 'send', lane: 1, freeSlots: 1, now: 0 },
    decision: { kind: 'send' },
    exact: true,
  },
  {
    name: 'a lane the window has closed under holds, and waits for the window',
    state: { window: 1.9 },
    event: { kind: 'send', lane: 1, freeSlots: 3, now: 0 },
    decision: { kind: 'hold', next: { kind: 'window', ms: 0 } },
    state_: { inFlight: 0 },
  },
  {
    name: 'no free slot: hold, try again on a timer',
    event: { kind: 'send', lane: 0, freeSlots: 0, now: 0 },
    decision: { kind: 'hold', next: { kind: 'wait', ms: 0 } },
  },
  // Races, health and backoff.
  {
    name: 'a bare 500 is a race: a short wait, the window halved, takes spread',
    state: { window: 4, inFlight: 1 },
    event: { kind: 'failed', lane: 0, error: race },
    decision: { kind: 'ended', outcome: 'contention', next: { kind: 'wait', ms: 4 } },
    state_: { window: 2, races: 1, spreadFor: STAGGER_RUN },
  },
  {
    name: 'a lone race leaves two lanes: spacing, not fewer takes, cures takes of one pack colliding',
    state: { window: 2.5, inFlight: 1 },
    event: { kind: 'failed', lane: 1, error: race },
    decision: { kind: 'ended', outcome: 'contention', next: { kind: 'window', ms: 4 } },
    state_: { window: 2, races: 1, spreadFor: STAGGER_RUN },
  },
  {
    name: 'a race while races are frequent (over a fifth of the recent takes) halves down to one lane',
    state: { window: 2.5, inFlight: 1, raceShare: 0.19 },
    event: { kind: 'failed', lane: 1, error: race },
    decision: { kind: 'ended', outcome: 'contention' },
    state_: { window: 1, races: 1, raceShare: 0.19 + 0.81 / RACE_SHARE_TAKES },
  },
  {
    name: 'every take that ends weighs in the share of races: an action lowers it',
    state: { inFlight: 1, raceShare: 0.2 },
    event: { kind: 'answered', lane: 0, action: { command: 'A' } },
    decision: { kind: 'ended', outcome: 'action' },
    state_: { raceShare: 0.2 - 0.2 / RACE_SHARE_TAKES },
  },
  {
    name: 'races in a row halve the window down to one lane (takes of several replicas collide)',
    state: { window: 2.5, inFlight: 1, races: 1 },
    event: { kind: 'failed', lane: 0, error: race },
    decision: { kind: 'ended', outcome: 'contention' },
    state_: { window: 1, races: 2 },
  },
  {
    name: 'a race on an extra lane waits, then for the window',
    state: { window: 4, inFlight: 1 },
    event: { kind: 'failed', lane: 2, error: race },
    decision: { kind: 'ended', outcome: 'contention', next: { kind: 'window', ms: 4 } },
  },
  {
    name: 'races in a row double the wait',
    state: { races: 1, inFlight: 1 },
    event: { kind: 'failed', lane: 0, error: race },
    decision: { kind: 'ended', outcome: 'contention', next: { kind: 'wait', ms: 8 } },
  },
  {
    name: 'the checkHealthAfter-th race in a row asks the server’s health first',
    state: { races: 2, inFlight: 1 },
    event: { kind: 'failed', lane: 0, error: race },
    decision: { kind: 'check-health' },
    state_: { races: 3 },
  },
  {
    name: 'healthy: still a race, and the next check comes checkHealthAfter races later',
    state: { races: 3 },
    event: { kind: 'health', lane: 0, healthy: true, error: race },
    decision: { kind: 'ended', outcome: 'contention', next: { kind: 'wait', ms: 16 } },
    state_: { races: 3, checkedAt: 3 },
  },
  {
    name: 'races past a passed check wait longer and longer (no new check yet)',
    state: { races: 4, checkedAt: 3, inFlight: 1 },
    event: { kind: 'failed', lane: 0, error: race },
    decision: { kind: 'ended', outcome: 'contention', next: { kind: 'wait', ms: 64 } },
  },
  {
    name: 'a store refusing writes while healthy: at most one take per longestWaitAfterCheck',
    config: { contention: resolveTakeContention({ random: () => 0.5 }) },
    state: { races: 29, checkedAt: 25, inFlight: 1 },
    event: { kind: 'failed', lane: 0, error: race },
    decision: { kind: 'ended', outcome: 'contention', next: { kind: 'wait', ms: 1000 } },
    state_: { window: 1 },
  },
  {
    name: 'unhealthy: a failed take, backed off; the races stay counted (the next checks again)',
    state: { races: 3 },
    event: { kind: 'health', lane: 0, healthy: false, error: race },
    decision: { kind: 'ended', outcome: 'error', next: { kind: 'wait', ms: 5 } },
    state_: { races: 3, window: 1, failures: [1, 0, 0, 0] },
  },
  {
    name: 'a 500 that says what failed is a failed take: backoff, races forgotten',
    state: { races: 2, inFlight: 1, failures: [1, 0, 0, 0] },
    event: { kind: 'failed', lane: 0, error: said500 },
    decision: { kind: 'ended', outcome: 'error', next: { kind: 'wait', ms: 10 } },
    state_: { races: 0, failures: [2, 0, 0, 0] },
  },
  {
    name: 'a failure on an extra lane waits no backoff: the window closes under it',
    state: { window: 3, inFlight: 1 },
    event: { kind: 'failed', lane: 2, error: said500 },
    decision: { kind: 'ended', outcome: 'error', next: { kind: 'window', ms: 0 } },
    state_: { window: 1, failures: [0, 0, 1, 0] },
  },
  {
    name: 'the first 404 in a row: no wait (the next take waits for the new registration)',
    state: { inFlight: 1 },
    event: { kind: 'failed', lane: 0, error: notFound },
    decision: { kind: 'ended', outcome: 'error', next: { kind: 'wait', ms: 0 } },
    state_: { notFounds: 1 },
  },
  {
    name: 'a 404 again: backed off',
    state: { inFlight: 1, notFounds: 1, failures: [1, 0, 0, 0] },
    event: { kind: 'failed', lane: 0, error: notFound },
    decision: { kind: 'ended', outcome: 'error', next: { kind: 'wait', ms: 10 } },
    state_: { notFounds: 2 },
  },
  {
    name: 'a take that answers forgets the races, the failures and the 404s',
    state: { races: 2, checkedAt: 1, notFounds: 2, failures: [3, 0, 0, 0], inFlight: 1 },
    event: { kind: 'answered', lane: 0, action: null },
    decision: { kind: 'ended', outcome: 'empty' },
    state_: { races: 0, checkedAt: 0, notFounds: 0, failures: [0, 0, 0, 0] },
  },
  // Stop.
  {
    name: 'stop: no lane sends any more',
    state: { stopped: true },
    event: { kind: 'send', lane: 0, freeSlots: 5, now: 0 },
    decision: { kind: 'hold', next: { kind: 'stop' } },
  },
  {
    name: 'a take dropped before its answer is no longer in flight',
    state: { inFlight: 2 },
    event: { kind: 'dropped', lane: 0 },
    decision: { kind: 'noted' },
    state_: { inFlight: 1 },
  },
];

describe('the take policy (decideTake)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const decision = decideTake({ ...config, ...c.config }, { ...base, ...c.state }, c.event);
      const { state, ...rest }: { state: TakeState } & Record<string, unknown> = decision;
      expect(rest).toEqual(c.exact ? c.decision : jasmine.objectContaining(c.decision));
      expect(state).toEqual(jasmine.objectContaining(c.state_ ?? {}));
    });
  }

  it('never changes the state it is given', () => {
    const state = { ...withA, window: 2, inFlight: 1 };
    const copy = JSON.stringify(state);
    for (const c of cases) decideTake(config, state, c.event);
    expect(JSON.stringify(state)).toBe(copy);
  });
});
