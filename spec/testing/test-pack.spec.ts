import { delay, from, map, NEVER, of, pipe, switchMap, timer } from 'rxjs';
import type { CommandPipeline, EventDef, PackDef } from '../../lib/model/definitions.js';
import { testPackWith, testPack as testPackDefault } from '../../lib/testing/test-pack.js';

const done: EventDef<string> = { name: 'Done' };
const seen: EventDef<{ who: string }> = { name: 'Seen' };

/** A pack whose `Work` command answers after `ms` virtual milliseconds (at once for 0). */
function workPack(ms = 0, handler?: NonNullable<PackDef['commands']>[number]['handler']): PackDef {
  return {
    name: 'work-pack',
    events: [seen],
    commands: [
      {
        name: 'Work',
        outputEvents: [done],
        handler:
          handler ??
          ((input) =>
            ms === 0
              ? { eventDef: done, payload: `did ${String(input)}` }
              : timer(ms).pipe(map(() => ({ eventDef: done, payload: `did ${String(input)}` })))),
      },
    ],
  };
}

/** A pack whose `Work` command is `pipeline`. */
function pipelinePack(pipeline: CommandPipeline): PackDef {
  return {
    name: 'work-pack',
    events: [seen],
    commands: [{ name: 'Work', outputEvents: [done], pipeline }],
  };
}

const testPack = testPackWith((actual, expected) => expect(actual).toEqual(expected));
const result = (payload: string) => ({ command: 'Work', event: 'Done', payload });

describe('testPack (marble tests of a whole pack)', () => {
  it('shows when the pack polls and when the server got each result', () => {
    const options = { stopAt: 2500, polling: { interval: 1000, burst: false } } as const;
    const { model } = testPack(workPack(), options, (t) => {
      t.enqueue('500ms a', { a: { command: 'Work', input: 'x' } });
      t.expectTakes('e 999ms (ae) 996ms e'); // a group takes as many frames as it has characters
      t.expectResults('1s r', { r: result('did x') });
    });
    expect(model.actions().map((a) => a.state)).toEqual(['SUCCESS']);
  });

  it('backs off after failed takes, in virtual time', () => {
    testPack(workPack(), { stopAt: 7000, polling: { interval: 5000 } }, (t) => {
      t.api.failNext('take', 503, 2);
      t.expectTakes('x 499ms x 999ms e 4999ms e');
    });
  });

  it('takes only while a handler slot is free', () => {
    const options = {
      stopAt: 6500,
      polling: { interval: 1000, burst: false },
      handlers: { concurrency: 1 },
    } as const;
    testPack(workPack(3000), options, (t) => {
      t.enqueue('(ab)', { a: { command: 'Work', input: 1 }, b: { command: 'Work', input: 2 } });
      t.expectResults('3s r 2999ms s', { r: result('did 1'), s: result('did 2') });
      t.expectTakes('a 2999ms a 2999ms e');
    });
  });

  it('completes a handler that outlives its timeout with FATAL', () => {
    testPack(
      workPack(0, () => NEVER),
      { stopAt: 2500, handlers: { timeout: 2000 } },
      (t) => {
        t.enqueue('a', { a: 'Work' });
        t.expectResults('2s f', {
          f: {
            command: 'Work',
            event: 'FATAL',
            payload: jasmine.objectContaining({ reason: 'timeout' }),
          },
        });
      },
    );
  });

  it('stops at stopAt: running handlers get the grace period, then are cancelled', () => {
    const { pack } = testPack(
      workPack(10_000),
      { stopAt: 1000, stop: { grace: 2000, flushDeadline: 1000 } },
      (t) => {
        t.enqueue('a', { a: 'Work' });
        t.expectResults('3s f', {
          f: {
            command: 'Work',
            event: 'FATAL',
            payload: jasmine.objectContaining({ reason: 'cancelled' }),
          },
        });
      },
    );
    expect(pack.status).toBe('stopped');
  });

  it('delivers spontaneous events and records them when the server accepts them', () => {
    testPack(workPack(), { stopAt: 1000 }, (t) => {
      t.sendEvents('10ms a 9ms b', {
        a: { eventDef: seen, payload: { who: 'Ann' } },
        b: { eventDef: seen, payload: { who: 'Bob' } },
      });
      t.api.failNext('event', 500);
      // Ann's first post fails: it is retried after the backoff (500 ms), Bob's lands meanwhile.
      t.expectEvents('20ms b 489ms a', {
        a: { event: 'Seen', payload: { who: 'Ann' } },
        b: { event: 'Seen', payload: { who: 'Bob' } },
      });
    });
  });

  it('lets a test act on the server at a given time: the pack registers again after a deletion', () => {
    const { model, api } = testPack(
      workPack(),
      { stopAt: 4500, polling: { interval: 1000 } },
      (t) => {
        t.at(1500, () => t.model.deletePack('work-pack'));
        t.enqueue('3s a', { a: { command: 'Work', input: 'after' } });
        t.expectResults('3s r', { r: result('did after') });
      },
    );
    expect(api.callsOf('register').length).toBe(2);
    expect(model.pack('work-pack')).toBeDefined();
  });

  it('fails with an explanation when a handler returns a Promise', () => {
    const def = workPack(0, () => Promise.resolve({ eventDef: done, payload: 'p' }));
    expect(() => testPack(def, { stopAt: 100 }, (t) => t.enqueue('a', { a: 'Work' }))).toThrowError(
      /"Work" returned a Promise, which cannot settle in virtual time/,
    );
  });

  it('says first that a handler returned a Promise, even when the test has expectations', () => {
    const compared: unknown[] = [];
    const strict = testPackWith((actual, expected) => {
      compared.push(actual);
      expect(actual).toEqual(expected); // what a framework would report second
      throw new Error('the results differ');
    });
    const def = workPack(0, async (input) => ({ eventDef: done, payload: `did ${String(input)}` }));
    expect(() =>
      strict(def, { stopAt: 100 }, (t) => {
        t.enqueue('a', { a: { command: 'Work', input: 'x' } });
        t.expectResults('r', { r: result('did x') });
      }),
    ).toThrowError(/^the handler of "Work" returned a Promise/);
    expect(compared).toEqual([]);
  });

  describe('says that a command waited on a Promise', () => {
    const later = (input: unknown) =>
      Promise.resolve({ eventDef: done, payload: `did ${String(input)}` });
    const cases: [string, PackDef][] = [
      ['a pipeline over switchMap(async)', pipelinePack(pipe(switchMap(later)))],
      ['a pipeline over from(promise)', pipelinePack(pipe(switchMap((i) => from(later(i)))))],
      ['a pipeline that awaits after a timer', pipelinePack(pipe(delay(50), switchMap(later)))],
      ['a handler returning from(promise)', workPack(0, (input) => from(later(input)))],
    ];
    for (const [name, def] of cases) {
      it(`${name}, first, even when the test has expectations`, () => {
        expect(() =>
          testPackDefault(def, { stopAt: 100 }, (t) => {
            t.enqueue('a', { a: { command: 'Work', input: 'x' } });
            t.expectResults('r', { r: result('did x') });
          }),
        ).toThrowError(
          /^the handler or pipeline of "Work" waited on a Promise[\s\S]*cannot settle in virtual time/,
        );
      });
    }

    it('but not when promises are used outside the commands, or commands use timers', () => {
      const def = pipelinePack(
        pipe(
          delay(50),
          map((input) => ({ eventDef: done, payload: `did ${String(input)}` })),
        ),
      );
      expect(() =>
        testPackDefault(def, { stopAt: 1000 }, (t) => {
          t.enqueue('a', { a: { command: 'Work', input: 'x' } });
          t.sendEvents('10ms e', { e: { eventDef: seen, payload: { who: 'Ann' } } });
          t.at(20, () => void Promise.resolve().then(() => undefined));
          t.expectResults('50ms r', { r: result('did x') });
        }),
      ).not.toThrow();
    });
  });

  it('checks results without their payload when an expected value has none', () => {
    testPack(workPack(), { stopAt: 100 }, (t) => {
      t.enqueue('(ab)', { a: { command: 'Work', input: 'x' }, b: { command: 'Work', input: 'y' } });
      t.expectResults('(rs)', { r: { command: 'Work', event: 'Done' }, s: result('did y') });
    });
    expect(() =>
      testPackDefault(workPack(), { stopAt: 100 }, (t) => {
        t.enqueue('a', { a: { command: 'Work', input: 'x' } });
        t.expectResults('r', { r: { command: 'Work', event: 'FATAL' } });
      }),
    ).toThrowError(/FATAL[\s\S]*but got[\s\S]*Done/);
  });

  it('asserts with a built-in deep equality when no framework assertion is given', () => {
    const run = () =>
      testPackDefault(workPack(), { stopAt: 100 }, (t) => {
        t.enqueue('a', { a: { command: 'Work', input: 'x' } });
        t.expectResults('r', { r: result('did y') });
      });
    expect(run).toThrowError(/did y[\s\S]*but got[\s\S]*did x/);
    expect(() =>
      testPackDefault(workPack(), { stopAt: 100 }, (t) => {
        t.enqueue('a', { a: { command: 'Work', input: 'x' } });
        t.expectResults('r', { r: result('did x') });
      }),
    ).not.toThrow();
  });

  it('accepts a body without options and runs handlers given as objects', () => {
    const def = workPack(0, {
      handle: (input: unknown) => of({ eventDef: done, payload: `obj ${String(input)}` }),
    });
    const { model } = testPack(def, (t) => {
      t.enqueue('a', { a: { command: 'Work', input: 1 } });
      t.expectResults('r', { r: result('obj 1') });
    });
    expect(model.actions()[0]?.state).toBe('SUCCESS');
  });
});
