import { testPackWith } from '../../lib/testing/test-pack.js';
import { DEFAULT_CANDIDATES, pickOnCall, rotaPack } from '../../samples/rota-pack/pack.js';

const testPack = testPackWith((actual, expected) => expect(actual).toEqual(expected));

/** A random source that returns the given numbers in turn. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe('samples/rota-pack', () => {
  it('picks the on-call person with the random source', () => {
    expect(pickOnCall(['Ann', 'Bob', 'Cy'], () => 0)).toEqual({
      eventDef: jasmine.objectContaining({ name: 'RotaRetrieved' }),
      payload: 'Ann',
    });
    expect(pickOnCall(['Ann', 'Bob', 'Cy'], () => 0.99).payload).toBe('Cy');
  });

  it('answers with an Error event when nobody is on the rota', () => {
    expect(pickOnCall([], () => 0.3)).toEqual({
      eventDef: jasmine.objectContaining({ name: 'Error' }),
      payload: { message: 'nobody is on the rota' },
    });
  });

  it('registers as page-of-duty-pack with the Rota command and its two events', () => {
    const { model } = testPack(rotaPack(), { stopAt: 10 }, () => undefined);
    const stored = model.pack('page-of-duty-pack');
    expect(stored?.registration.commands).toEqual([
      jasmine.objectContaining({ name: 'Rota', events: ['RotaRetrieved', 'Error'] }),
    ]);
  });

  it('answers each Rota action with whoever the random source picks, as flows see it', () => {
    const def = rotaPack({ random: sequence(0, 0.5, 0.99) });
    testPack(def, { stopAt: 5000, polling: { interval: 1000 } }, (t) => {
      t.enqueue('a 1499ms b 999ms c', {
        a: 'Rota',
        b: { command: 'Rota', input: 'ops' },
        c: 'Rota',
      });
      const rota = (payload: string) => ({ command: 'Rota', event: 'RotaRetrieved', payload });
      // Burst polling picks each one up soon after the one before: b at 1650, c at 2643 (polls
      // 100, 120, 144, … ms after the previous result), not at the next whole second.
      t.expectResults('a 1649ms b 992ms c', {
        a: rota(DEFAULT_CANDIDATES[0]!),
        b: rota(DEFAULT_CANDIDATES[2]!),
        c: rota(DEFAULT_CANDIDATES[4]!),
      });
    });
  });

  it('answers Error when the configured rota is empty', () => {
    const { model } = testPack(rotaPack({ candidates: [] }), { stopAt: 10 }, (t) => {
      t.enqueue('a', { a: 'Rota' });
      t.expectResults('a', {
        a: { command: 'Rota', event: 'Error', payload: { message: 'nobody is on the rota' } },
      });
    });
    expect(model.actions()[0]?.state).toBe('SUCCESS');
  });

  it('only takes actions whose required labels it carries', () => {
    const { model } = testPack(
      rotaPack({ labels: { team: 'db' }, random: () => 0 }),
      { stopAt: 10 },
      (t) => {
        t.enqueue('(ab)', {
          a: { command: 'Rota', packLabels: { team: 'web' } },
          b: { command: 'Rota', packLabels: { team: 'db' } },
        });
      },
    );
    expect(model.actions().map((a) => a.state)).toEqual(['NEW', 'SUCCESS']);
    expect(model.pack('page-of-duty-pack.team.db')).toBeDefined();
  });
});
