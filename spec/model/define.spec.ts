// The typed definitions: what the compiler refuses (each `@ts-expect-error` below fails
// `make typecheck` if the line it marks ever compiles) and what the helpers return.
import { map, of, pipe } from 'rxjs';
import { z } from 'zod';
import { defineCommand, defineEvent, definePack } from '../../lib/model/define.js';
import { fatalEvent, type HandlerContext } from '../../lib/model/definitions.js';
import { silentLogger } from '../../lib/model/logger.js';
import { toRegistration } from '../../lib/model/registration-body.js';
import { validatePackDef } from '../../lib/model/validate.js';
import { Pack } from '../../lib/pack/pack.js';
import { InMemoryFlyteApi } from '../../lib/testing/in-memory-flyte-api.js';

const rotaRetrieved = defineEvent('RotaRetrieved').withPayload<{ onCall: string }>();
const rotaFailed = defineEvent('RotaFailed').withPayload<string>();
const rotaRetreived = defineEvent('RotaRetreived').withPayload<{ onCall: string }>();
const someoneSeen = defineEvent('SomeoneSeen', {
  helpUrl: 'https://example.org/seen',
}).withPayload<{
  who: string;
}>();

const rota = defineCommand({
  name: 'Rota',
  outputEvents: [rotaRetrieved, rotaFailed],
  handler: (input: { team: string }) =>
    input.team
      ? { eventDef: rotaRetrieved, payload: { onCall: `${input.team}'s Ann` } }
      : { eventDef: rotaFailed, payload: 'no team' },
});

describe('typed definitions', () => {
  describe('at compile time', () => {
    it('refuses a handler that returns an event its command does not declare', () => {
      const command = defineCommand({
        name: 'Rota',
        outputEvents: [rotaRetrieved],
        // @ts-expect-error -- RotaRetreived (a typo) is not an output event of Rota
        handler: () => ({ eventDef: rotaRetreived, payload: { onCall: 'Ann' } }),
      });
      expect(command.outputEvents).toEqual([{ name: 'RotaRetrieved' }]);
    });

    it('refuses a declared event with a payload of the wrong type', () => {
      const command = defineCommand({
        name: 'Rota',
        outputEvents: [rotaRetrieved, rotaFailed],
        // @ts-expect-error -- RotaFailed's payload is a string
        handler: () => ({ eventDef: rotaFailed, payload: { onCall: 'Ann' } }),
      });
      expect(command.name).toBe('Rota');
    });

    it('checks promises, observables, handler objects and pipelines alike', () => {
      const commands = [
        defineCommand({
          name: 'Async',
          outputEvents: [rotaRetrieved],
          // @ts-expect-error -- a promise of an undeclared event
          handler: async () => ({ eventDef: someoneSeen, payload: { who: 'Ann' } }),
        }),
        defineCommand({
          name: 'Observable',
          outputEvents: [rotaRetrieved],
          // @ts-expect-error -- an observable of an undeclared event
          handler: () => of({ eventDef: someoneSeen, payload: { who: 'Ann' } }),
        }),
        defineCommand({
          name: 'Object',
          outputEvents: [rotaRetrieved],
          handler: {
            // @ts-expect-error -- handle() returns an undeclared event
            handle: () => ({ eventDef: someoneSeen, payload: { who: 'Ann' } }),
          },
        }),
        defineCommand({
          name: 'Pipeline',
          outputEvents: [rotaRetrieved],
          // @ts-expect-error -- the pipeline emits an undeclared event
          pipeline: pipe(map(() => ({ eventDef: someoneSeen, payload: { who: 'Ann' } }))),
        }),
      ];
      expect(commands.map((c) => c.name)).toEqual(['Async', 'Observable', 'Object', 'Pipeline']);
    });

    it('types the input from the input schema (its output type, defaults applied)', () => {
      const command = defineCommand({
        name: 'Rota',
        input: z.object({ team: z.string(), count: z.number().default(1) }),
        outputEvents: [rotaRetrieved],
        handler: ({ team, count }) => ({
          eventDef: rotaRetrieved,
          payload: { onCall: team.repeat(count) },
        }),
      });
      type Input = Parameters<Extract<typeof command.handler, (...args: never[]) => unknown>>[0];
      const input: Input = { team: 'blue', count: 2 };
      // @ts-expect-error -- after parsing, count is always there
      const wrong: Input = { team: 'blue' };
      expect([input.count, wrong.team, command.name]).toEqual([2, 'blue', 'Rota']);
      defineCommand({
        name: 'Rota',
        input: z.object({ team: z.string() }),
        outputEvents: [rotaRetrieved],
        // @ts-expect-error -- the schema has no "tema"
        handler: ({ tema }) => ({ eventDef: rotaRetrieved, payload: { onCall: String(tema) } }),
      });
    });

    it('infers the input from the handler and lets it return FATAL', () => {
      const command = defineCommand({
        name: 'Rota',
        outputEvents: [rotaRetrieved],
        handler: (input: { team: string }, { action }) =>
          action.id === ''
            ? fatalEvent({ problem: 'no id' })
            : of({ eventDef: rotaRetrieved, payload: { onCall: input.team } }),
      });
      type Input = Parameters<Extract<typeof command.handler, (...args: never[]) => unknown>>[0];
      const input: Input = { team: 'blue' };
      // @ts-expect-error -- the input is { team: string }
      const wrong: Input = { team: 1 };
      const run = command.handler as (input: Input, context: HandlerContext<Input>) => unknown;
      const context = (id: string) => ({
        action: { id, command: 'Rota', input, resultUrl: '', links: [] },
        signal: new AbortController().signal,
        logger: silentLogger,
      });
      expect(run(input, context(''))).toEqual(fatalEvent({ problem: 'no id' }));
      expect([wrong, input] as unknown[]).toEqual([{ team: 1 }, { team: 'blue' }]);
    });

    it('lets sendEvent of a typed pack take only its declared events, with their payload types', async () => {
      const def = definePack({ name: 'rota-pack', commands: [rota], events: [someoneSeen] });
      const pack = new Pack(def, { api: new InMemoryFlyteApi() });
      const sends = [
        pack.sendEvent({ eventDef: someoneSeen, payload: { who: 'Ann' } }),
        // @ts-expect-error -- RotaRetrieved is a command's output, not one of the pack's events
        pack.sendEvent({ eventDef: rotaRetrieved, payload: { onCall: 'Ann' } }),
        // @ts-expect-error -- SomeoneSeen's payload is { who: string }
        pack.sendEvent({ eventDef: someoneSeen, payload: { whom: 'Ann' } }),
      ];
      await pack.stop({ grace: 0, flushDeadline: 0 });
      // At run time: the undeclared event is refused as such, the others when the pack stops.
      const errors = await Promise.all(sends.map((sent) => sent.catch((e: Error) => e.name)));
      expect(errors).toEqual(['DeliveryError', 'UndeclaredEventError', 'DeliveryError']);
    });

    it('keeps the payload check of sendEvent for untyped packs', async () => {
      const seen = { name: 'Seen' } as { name: string; __payload?: { who: string } };
      const pack = new Pack(
        { name: 'plain-pack', events: [seen] },
        { api: new InMemoryFlyteApi() },
      );
      await pack.stop({ grace: 0, flushDeadline: 0 });
      // @ts-expect-error -- the payload does not match the definition's
      const sent = pack.sendEvent({ eventDef: seen, payload: 42 });
      await expectAsync(sent).toBeRejected();
    });
  });

  describe('at run time', () => {
    it('defineEvent makes a plain frozen { name, helpUrl }, with or without a payload type', () => {
      const done = defineEvent('Done');
      expect(done as object).toEqual({ name: 'Done' });
      expect(someoneSeen).toEqual({ name: 'SomeoneSeen', helpUrl: 'https://example.org/seen' });
      expect(Object.keys(done)).toEqual(['name']);
      expect(JSON.stringify(done.withPayload<number>())).toBe('{"name":"Done"}');
      expect(Object.isFrozen(done)).toBe(true);
      expect(Object.isFrozen(someoneSeen)).toBe(true);
    });

    it('defineCommand and definePack return definitions the runtime accepts as they are', () => {
      const def = definePack({ name: 'rota-pack', commands: [rota], events: [someoneSeen] });
      expect(def.commands).toEqual([rota]);
      expect(() => validatePackDef(def)).not.toThrow();
      expect(toRegistration(def, {})).toEqual({
        name: 'rota-pack',
        commands: [{ name: 'Rota', events: ['RotaRetrieved', 'RotaFailed'] }],
        events: [
          { name: 'RotaRetrieved' },
          { name: 'RotaFailed' },
          { name: 'SomeoneSeen', links: [{ href: 'https://example.org/seen', rel: 'help' }] },
        ],
      });
    });

    it('definePack declares no events when none are given', () => {
      expect(definePack({ name: 'quiet-pack', commands: [rota] }).events).toEqual([]);
    });
  });
});
