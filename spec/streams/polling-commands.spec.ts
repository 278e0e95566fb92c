import { take as firstOutcomes } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Action } from '../../lib/model/wire-types.js';
import { SlotLedger } from '../../lib/streams/slot-ledger.js';
import { poll$, type PollDeps } from '../../lib/streams/polling.js';
import { anAction, registeredPack } from './fixtures.js';
import { pollDeps } from './poll-fixtures.js';

describe('poll$ (per-command takes)', () => {
  let scheduler: TestScheduler;
  const pack = registeredPack('p1');

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  interface Asked {
    readonly at: number;
    readonly command: string | undefined;
  }

  /**
   * A take answering after 5 ms: with a command, an action of it (or nothing, when `empty`
   * says so); without, actions of `unfiltered` in turn. Records when each take was made and
   * the command it asked for.
   */
  function takes(
    unfiltered: string[],
    empty: (command: string, n: number) => boolean = () => false,
  ) {
    const asked: Asked[] = [];
    let n = 0;
    let turn = 0;
    const take: PollDeps['take'] = (_pack, command) => {
      asked.push({ at: scheduler.now(), command });
      const name = command ?? unfiltered[turn++ % unfiltered.length]!;
      const answer =
        command !== undefined && empty(command, n)
          ? null
          : { ...anAction(String(n)), command: name };
      n += 1;
      return scheduler.createColdObservable<Action | null>('5ms a|', { a: answer });
    };
    return { take, asked };
  }

  /** Runs poll$ for `count` outcomes, each action's slot freed at once. */
  function run(overrides: Partial<PollDeps>, count: number): void {
    const gate = new SlotLedger(10);
    const deps = pollDeps(pack, {
      slots: gate,
      maxTakesInFlight: 3,
      stagger: 2,
      windowGrowth: 1, // a lane per action: the extra takes start at once
      ...overrides,
    });
    poll$(deps, scheduler)
      .pipe(firstOutcomes(count))
      .subscribe((o) => o.action && gate.settle(o.action));
    scheduler.flush();
  }

  it('with several commands, the extra takes ask for one command each, with a backlog, the least asked first', () => {
    scheduler.run(() => {
      const { take, asked } = takes(['A', 'B']);
      run({ take, commands: ['A', 'B', 'C'] }, 12);
      const u = undefined;
      // The first lane never filters (oldest first, whatever the command). A is known from
      // the action at 5, B from the one at 10; C never came, so it is never asked for. Once
      // both are known, the two extra lanes ask for A and B, never the same at once.
      expect(asked).toEqual(
        [
          [0, u],
          [5, 'A'],
          [5, u],
          [10, 'A'],
          [10, 'B'],
          [10, u],
          [15, 'A'],
          [15, 'B'],
          [15, u],
          [20, 'A'],
          [20, 'B'],
          [20, u],
          [25, 'A'],
          [25, 'B'],
        ].map(([at, command]) => ({ at: at as number, command: command as string | undefined })),
      );
    });
  });

  it('a per-command take that comes back empty forgets that command, without waiting or shrinking the window', () => {
    scheduler.run(() => {
      // The take of A at 10 finds A's backlog done; A stays forgotten until an A comes again.
      const { take, asked } = takes(
        ['A', 'B', 'B', 'B'],
        (command, n) => command === 'A' && n === 3,
      );
      run({ take, commands: ['A', 'B'] }, 14);
      const byLane = asked.map((a) => `${a.at}:${a.command ?? '*'}`);
      expect(byLane.slice(0, 9)).toEqual([
        '0:*',
        '5:A',
        '5:*',
        '10:A',
        '10:B',
        '10:*',
        '15:B',
        '15:B',
        '15:*',
      ]);
      // The empty take of A (10 → 15) did not shrink the window: its lane took B at once,
      // beside the other extra lane. A is asked for again only after the unfiltered take sent
      // at 25 brought an A (at 30).
      expect(asked.filter((a) => a.at > 10 && a.at < 30).map((a) => a.command)).not.toContain('A');
      expect(byLane).toContain('30:A');
    });
  });

  it('with one command, takes never filter', () => {
    scheduler.run(() => {
      const { take, asked } = takes(['A']);
      run({ take, commands: ['A'] }, 10);
      expect(asked.length).toBeGreaterThan(10);
      expect(asked.every((a) => a.command === undefined)).toBeTrue();
    });
  });
});
