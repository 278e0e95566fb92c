// Marble tests of a whole pack, written as a pack author would (docs/commands.md shows the
// first one): results land on the poll after their action was created, so the marbles need
// no arithmetic about the SDK's polling strategy.
import { z } from 'zod';
import { defineCommand, defineEvent, definePack } from '../../lib/model/define.js';
import { marblesAt } from '../../lib/testing/marbles-at.js';
import { testPackWith } from '../../lib/testing/test-pack.js';

const rotaRetrieved = defineEvent('RotaRetrieved').withPayload<{ onCall: string }>();
const rota = defineCommand({
  name: 'Rota',
  input: z.object({ team: z.string().default('ops') }),
  outputEvents: [rotaRetrieved],
  handler: ({ team }) => ({ eventDef: rotaRetrieved, payload: { onCall: `${team}: Ann` } }),
});
const rotaPack = definePack({ name: 'rota-pack', commands: [rota] });

const testPack = testPackWith((actual, expected) => expect(actual).toEqual(expected));
const forOps = { command: 'Rota', input: { team: 'ops' } };
const opsAnswered = { command: 'Rota', event: 'RotaRetrieved', payload: { onCall: 'ops: Ann' } };

describe('marble timing of the testing kit', () => {
  it('lands each result on the first poll after its action was created', () => {
    testPack(rotaPack, { polling: { interval: 1000 }, stopAt: 5000 }, (t) => {
      // a is created at 0 ms, b at 1500 ms; the pack polls every second.
      t.enqueue(marblesAt({ a: 0, b: 1500 }), { a: forOps, b: { command: 'Rota', input: {} } });
      t.expectResults(marblesAt({ a: 0, b: 2000 }), { a: opsAnswered, b: opsAnswered });
    });
  });

  it('answers invalid input FATAL invalid-input, naming the path, on the same poll', () => {
    testPack(rotaPack, { polling: { interval: 1000 }, stopAt: 3000 }, (t) => {
      t.enqueue(marblesAt({ x: 1200 }), { x: { command: 'Rota', input: { team: 7 } } });
      t.expectResults(marblesAt({ f: 2000 }), {
        f: {
          command: 'Rota',
          event: 'FATAL',
          payload: jasmine.objectContaining({
            reason: 'invalid-input',
            issues: [jasmine.objectContaining({ path: ['team'] })],
          }),
        },
      });
    });
  });

  it('shows the waits of a retried handler, which holds its slot meanwhile', () => {
    let runs = 0;
    const flaky = defineCommand({
      name: 'Rota',
      outputEvents: [rotaRetrieved],
      retry: { attempts: 3, backoff: { initialDelay: 100 } },
      handler: () => {
        if (++runs % 3 !== 0) throw new Error('rota API down');
        return { eventDef: rotaRetrieved, payload: { onCall: 'Ann' } };
      },
    });
    const def = definePack({ name: 'rota-pack', commands: [flaky] });
    testPack(
      def,
      { handlers: { concurrency: 1 }, polling: { interval: 1000 }, stopAt: 3000 },
      (t) => {
        t.enqueue(marblesAt({ a: 0, b: 1 }), { a: 'Rota', b: 'Rota' });
        // a: runs at 0, 100 and 300 ms; b waits for a's slot, then the same again
        const ann = { command: 'Rota', event: 'RotaRetrieved', payload: { onCall: 'Ann' } };
        t.expectResults(marblesAt({ a: 300, b: 600 }), { a: ann, b: ann });
        // b is taken as soon as a's result frees the slot; then a poll per second
        t.expectTakes(marblesAt({ a: 0, b: 300, e: 600, f: 1600, g: 2600 }), {
          a: 'action',
          b: 'action',
          e: 'empty',
          f: 'empty',
          g: 'empty',
        });
      },
    );
  });

  it('keeps burst polling when a test asks for it', () => {
    const options = { polling: { interval: 1000, burst: { first: 100, factor: 2 } }, stopAt: 5000 };
    testPack(rotaPack, options, (t) => {
      t.enqueue(marblesAt({ a: 0, b: 150 }), { a: forOps, b: forOps });
      // after a's result the pack polls 100 ms after the empty take at 0, then 200 ms later
      t.expectResults(marblesAt({ a: 0, b: 300 }), { a: opsAnswered, b: opsAnswered });
    });
  });
});

describe('marblesAt', () => {
  it('writes the marbles of values at absolute times, a group for one time', () => {
    expect(marblesAt({ a: 0, b: 1500 })).toBe('a 1499ms b');
    expect(marblesAt({ b: 2000, a: 0 })).toBe('a 1999ms b');
    expect(marblesAt({ a: 10, b: 10, c: 20 })).toBe('10ms (ab) 6ms c');
    expect(marblesAt({ a: 0, b: 1 })).toBe('ab');
    expect(marblesAt({})).toBe('');
  });

  it('refuses times a group would overlap, and times that are not whole ms >= 0', () => {
    expect(() => marblesAt({ a: 0, b: 0, c: 2 })).toThrowError(
      /"c" at 2 ms: the marbles before it take up frames up to 3 \(a group "\(ab\)" takes 4\)/,
    );
    expect(() => marblesAt({ a: -1 })).toThrowError(/"a": -1 is not a whole number of ms >= 0/);
    expect(() => marblesAt({ ab: 1 })).toThrowError(/"ab": a marble value is one character/);
  });
});
