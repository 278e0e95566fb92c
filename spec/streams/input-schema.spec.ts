// Commands with `input` (and `output`) schemas: any Standard Schema v1 object. Specified with
// two implementations, zod and valibot, so that nothing depends on either one.
import { firstValueFrom, map, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import * as v from 'valibot';
import { z } from 'zod';
import { defineCommand, defineEvent } from '../../lib/model/define.js';
import type { Command, PackDef } from '../../lib/model/definitions.js';
import type { FatalPayload } from '../../lib/model/fatal-payload.js';
import type { ActionResult } from '../../lib/model/outcomes.js';
import { runAction$ } from '../../lib/streams/dispatch.js';
import { anAction } from './fixtures.js';
import type { StandardSchemaV1 } from '../../lib/model/standard-schema.js';

const rotaRetrieved = defineEvent('RotaRetrieved').withPayload<{ onCall: string }>();

/** Rota with a zod input schema: a team (required) and a count (default 1). */
const zodRota = defineCommand({
  name: 'Rota',
  input: z.object({ team: z.string(), count: z.number().int().default(1) }),
  outputEvents: [rotaRetrieved],
  // The input's type comes from the schema: `team` is a string, `count` a number.
  handler: ({ team, count }) => ({
    eventDef: rotaRetrieved,
    payload: { onCall: `${team}×${count.toFixed(0)}` },
  }),
});

/** The same command with a valibot input schema. */
const valibotRota = defineCommand({
  name: 'Rota',
  input: v.object({ team: v.string(), count: v.optional(v.number(), 1) }),
  outputEvents: [rotaRetrieved],
  handler: ({ team, count }) => ({
    eventDef: rotaRetrieved,
    payload: { onCall: `${team}×${count.toFixed(0)}` },
  }),
});

const fatalOf = (r: ActionResult) => r.event.payload as FatalPayload;

/** A command of a pack definition, typed or not (as `PackDef.commands` holds them). */
type AnyCommand = NonNullable<PackDef['commands']>[number];

describe('a command with an input schema', () => {
  let scheduler: TestScheduler;

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  /** The result of running `command` for an action with `input`, in virtual time. */
  function resultOf(command: AnyCommand, input: unknown): ActionResult {
    let result: ActionResult | undefined;
    scheduler.run(() => {
      const action = anAction('7', 'Rota', input);
      runAction$(action, { commands: [command] }, scheduler).subscribe((r) => (result = r));
    });
    return result as ActionResult;
  }

  const vendors: [string, AnyCommand][] = [
    ['zod', zodRota],
    ['valibot', valibotRota],
  ];
  for (const [vendor, rota] of vendors) {
    describe(`(${vendor})`, () => {
      it('hands the handler the parsed input, defaults applied', () => {
        scheduler.run(({ expectObservable }) => {
          const action = anAction('7', 'Rota', { team: 'db' });
          const run$ = runAction$(action, { commands: [rota] }, scheduler);
          expectObservable(run$.pipe(map((r) => [r.outcome, r.event.payload]))).toBe('(r|)', {
            r: ['success', { onCall: 'db×1' }],
          });
        });
      });

      it('answers invalid input FATAL invalid-input, naming each path, without running the handler', () => {
        const handler = jasmine.createSpy('handler');
        const result = resultOf({ ...rota, handler }, { team: 42, count: 'two' });
        expect(handler).not.toHaveBeenCalled();
        expect(result.outcome).toBe('fatal');
        const payload = fatalOf(result);
        expect(payload.reason).toBe('invalid-input');
        expect(payload.issues?.map((i) => i.path)).toEqual([['team'], ['count']]);
        expect(payload.issues?.every((i) => i.message.length > 0)).toBeTrue();
        expect(payload.message).toMatch(
          /^the input of command "Rota" is invalid: team: .+; count: .+$/,
        );
      });

      it('answers an input that is not an object FATAL invalid-input with an issue at the root', () => {
        const payload = fatalOf(resultOf(rota, 'db'));
        expect(payload.reason).toBe('invalid-input');
        expect(payload.issues?.length).toBe(1);
        expect(payload.issues?.[0]?.path).toBeUndefined();
        expect(payload.message).toBe(
          `the input of command "Rota" is invalid: ${payload.issues?.[0]?.message}`,
        );
      });
    });
  }

  it('waits for an async schema (validate returns a promise)', async () => {
    const known = new Set(['db']);
    const asyncRota = defineCommand({
      name: 'Rota',
      input: z.object({ team: z.string() }).refine(async ({ team }) => known.has(team), {
        message: 'no such team',
        path: ['team'],
      }),
      outputEvents: [rotaRetrieved],
      handler: ({ team }) => ({ eventDef: rotaRetrieved, payload: { onCall: team } }),
    });
    const run = (input: unknown) =>
      firstValueFrom(
        runAction$(anAction('7', 'Rota', input), { commands: [asyncRota as AnyCommand] }),
      );
    const good = await run({ team: 'db' });
    expect([good.outcome, good.event.payload]).toEqual(['success', { onCall: 'db' }]);
    const bad = fatalOf(await run({ team: 'web' }));
    expect([bad.reason, bad.issues]).toEqual([
      'invalid-input',
      [{ message: 'no such team', path: ['team'] }],
    ]);
  });

  it('answers FATAL invalid-input when the schema itself throws', () => {
    const throwing: AnyCommand = {
      ...zodRota,
      input: {
        '~standard': {
          version: 1,
          vendor: 'test',
          validate: () => {
            throw new Error('schema bug');
          },
        },
      },
    };
    const payload = fatalOf(resultOf(throwing, {}));
    expect([payload.reason, payload.issues]).toEqual([
      'invalid-input',
      [{ message: 'the schema threw Error: schema bug' }],
    ]);
  });
});

describe('a command with an output schema', () => {
  let scheduler: TestScheduler;

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  const rota = (onCall: unknown): Command => ({
    name: 'Rota',
    outputEvents: [rotaRetrieved],
    output: z.object({ onCall: z.string().min(1) }),
    handler: () => ({ eventDef: rotaRetrieved, payload: { onCall } }),
  });

  function resultOf(command: Command): ActionResult {
    let result: ActionResult | undefined;
    scheduler.run(() => {
      runAction$(anAction('7'), { commands: [command] }, scheduler).subscribe((r) => (result = r));
    });
    return result as ActionResult;
  }

  it('lets a payload that matches through, as the schema parsed it', () => {
    const result = resultOf(rota('Ann'));
    expect([result.outcome, result.event.eventDef.name, result.event.payload]).toEqual([
      'success',
      'RotaRetrieved',
      { onCall: 'Ann' },
    ]);
  });

  it('answers a payload that does not match FATAL invalid-output, naming the event and the paths', () => {
    const payload = fatalOf(resultOf(rota('')));
    expect(payload.reason).toBe('invalid-output');
    expect(payload.issues?.map((i) => i.path)).toEqual([['onCall']]);
    expect(payload.message).toMatch(
      /^handler of command "Rota" produced the event "RotaRetrieved", whose payload does not match the command's output schema: onCall: .+$/,
    );
  });

  it('checks the first event of an observable that completes at once, with a schema that answers later', async () => {
    const later: StandardSchemaV1 = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: (value) => Promise.resolve({ value }),
      },
    };
    const command: Command = {
      ...rota('Ann'),
      output: later,
      handler: () => of({ eventDef: rotaRetrieved, payload: { onCall: 'Ann' } }),
    };
    const result = await firstValueFrom(runAction$(anAction('7'), { commands: [command] }));
    expect([result.outcome, result.event.payload]).toEqual(['success', { onCall: 'Ann' }]);
  });

  it('leaves a FATAL the handler returned itself unchecked', () => {
    const command: Command = {
      ...rota('Ann'),
      handler: () => ({ eventDef: { name: 'FATAL' }, payload: 'no rota today' }),
    };
    const result = resultOf(command);
    expect([result.outcome, result.event.payload]).toEqual(['fatal', 'no rota today']);
  });
});
