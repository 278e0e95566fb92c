import { map } from 'rxjs';
import { isPackDefinitionError, PackDefinitionError } from '../../lib/model/errors.js';
import type { PackDef } from '../../lib/model/definitions.js';
import { validatePackDef } from '../../lib/model/validate.js';

const ok = { name: 'Ok' };
const handler = () => ({ eventDef: ok, payload: null });
const valid: PackDef = {
  name: 'rota-pack',
  labels: { env: 'prod' },
  helpUrl: 'https://github.com/org/rota-pack',
  commands: [
    { name: 'Rota', outputEvents: [ok, { name: 'Failed' }], handler, timeout: 5000 },
    { name: 'Obj', outputEvents: [ok], handler: { handle: handler } },
    { name: 'Pipe', outputEvents: [ok], pipeline: map(() => ({ eventDef: ok, payload: 1 })) },
  ],
  events: [{ name: 'Seen', helpUrl: 'http://docs.example/seen' }, ok],
};

/** The problems the validator reports for `def` (none when it passes). */
function problemsOf(def: unknown, labels?: unknown): readonly string[] {
  try {
    validatePackDef(def, labels);
    return [];
  } catch (e) {
    expect(isPackDefinitionError(e)).withContext('error type').toBeTrue();
    return (e as PackDefinitionError).problems;
  }
}

describe('validatePackDef', () => {
  it('accepts a valid definition with handler functions, handler objects and pipelines', () => {
    expect(problemsOf(valid)).toEqual([]);
    expect(problemsOf({ name: 'only-events', events: [ok] })).toEqual([]);
  });

  it('accepts `events` left out entirely as it accepts `events: []`, when there are commands', () => {
    const commandsOnly = {
      name: 'commands-only',
      commands: [{ name: 'Rota', outputEvents: [ok], handler }],
    };
    expect('events' in commandsOnly).toBeFalse();
    expect(problemsOf(commandsOnly)).toEqual([]);
    expect(problemsOf({ ...commandsOnly, events: [] })).toEqual([]);
  });

  it('refuses a definition that leaves out `events` and has no commands, as it does `events: []`', () => {
    const nothing = ['definition: defines neither commands nor events, so the pack can do nothing'];
    expect(problemsOf({ name: 'idle' })).toEqual(nothing);
    expect(problemsOf({ name: 'idle', events: [] })).toEqual(nothing);
    expect(problemsOf({ name: 'idle', commands: [] })).toEqual(nothing);
  });

  it('refuses a definition that is not an object', () => {
    expect(problemsOf(null)).toEqual(['definition: must be an object, got null']);
    expect(problemsOf([])).toEqual(['definition: must be an object, got an array']);
  });

  it('lists every problem in one error, each with where it is', () => {
    const def = {
      name: '',
      helpUrl: 'ftp://nope',
      commands: [
        { name: 'A', outputEvents: [ok], handler },
        { name: 'A', outputEvents: [], handler },
        { name: 'B', outputEvents: [ok] },
      ],
    };
    let error: unknown;
    try {
      validatePackDef(def);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PackDefinitionError);
    const problems = (error as PackDefinitionError).problems;
    expect(problems).toEqual([
      'name: must be a non-empty string, got the string ""',
      'helpUrl: must be an absolute http(s) URL, got the string "ftp://nope"',
      'commands[1].name: "A" is already the name of commands[0]',
      'commands[1].outputEvents: must be a non-empty array of event definitions, got an array',
      'commands[2]: needs a handler or a pipeline',
    ]);
    for (const p of problems) expect((error as Error).message).toContain(p);
  });

  it('refuses pack names that are not strings, blank, or unsafe in a URL path', () => {
    expect(problemsOf({ ...valid, name: 42 })).toEqual([
      'name: must be a non-empty string, got the number 42',
    ]);
    expect(problemsOf({ ...valid, name: '  ' }).length).toBe(1);
    expect(problemsOf({ ...valid, name: 'a/b' })).toEqual([
      `name: must not contain "/", "?" or "#" (it becomes part of the pack's URL)`,
    ]);
  });

  it('refuses a command with both a handler and a pipeline, or a handler of the wrong kind', () => {
    const both = { name: 'C', outputEvents: [ok], handler, pipeline: map((x) => x) };
    const wrong = { name: 'D', outputEvents: [ok], handler: { run: handler } };
    const notFn = { name: 'E', outputEvents: [ok], pipeline: 'map' };
    expect(problemsOf({ name: 'P', commands: [both, wrong, notFn] })).toEqual([
      'commands[0]: has both a handler and a pipeline; give exactly one',
      'commands[1].handler: must be a function or an object with a handle method, got an object',
      'commands[2].pipeline: must be an RxJS operator (a function), got the string "map"',
    ]);
  });

  it('refuses bad event definitions and duplicates within a list', () => {
    const command = {
      name: 'C',
      handler,
      outputEvents: [ok, { name: '' }, 'Ok', { name: 'Ok' }],
    };
    expect(
      problemsOf({ name: 'P', commands: [command], events: [{ name: 'S' }, { name: 'S' }] }),
    ).toEqual([
      'commands[0].outputEvents[1].name: must be a non-empty string, got the string ""',
      'commands[0].outputEvents[2]: must be an event definition object, got the string "Ok"',
      'commands[0].outputEvents[3].name: "Ok" is already commands[0].outputEvents[0]',
      'events[1].name: "S" is already events[0]',
    ]);
  });

  it('allows one event definition to be shared by commands and spontaneous events', () => {
    const shared = { name: 'Shared', helpUrl: 'https://docs/shared' };
    const def = {
      name: 'P',
      commands: [
        { name: 'A', outputEvents: [shared], handler },
        { name: 'B', outputEvents: [{ name: 'Shared' }], handler },
      ],
      events: [shared],
    };
    expect(problemsOf(def)).toEqual([]);
  });

  it('refuses one event name with two different help URLs', () => {
    const def = {
      name: 'P',
      commands: [{ name: 'A', outputEvents: [{ name: 'E', helpUrl: 'https://a' }], handler }],
      events: [{ name: 'E', helpUrl: 'https://b' }],
    };
    expect(problemsOf(def)).toEqual([
      'events[0].helpUrl: event "E" already has the help URL https://a (commands[0].outputEvents[0])',
    ]);
  });

  it('refuses FATAL as a declared event or as a command name', () => {
    const def = {
      name: 'P',
      commands: [{ name: 'FATAL', outputEvents: [{ name: 'FATAL' }], handler }],
      events: [{ name: 'FATAL' }],
    };
    expect(problemsOf(def)).toEqual([
      'commands[0].name: "FATAL" is reserved for the failure event',
      'commands[0].outputEvents[0].name: "FATAL" must not be declared; it is always allowed as a result and is not registered',
      'events[0].name: "FATAL" must not be declared; it is always allowed as a result and is not registered',
    ]);
  });

  it('refuses help URLs that are not absolute http(s) URLs', () => {
    const def = {
      name: 'P',
      commands: [{ name: 'A', outputEvents: [ok], handler, helpUrl: '/relative' }],
      events: [{ name: 'S', helpUrl: 42 }],
    };
    expect(problemsOf(def)).toEqual([
      'commands[0].helpUrl: must be an absolute http(s) URL, got the string "/relative"',
      'events[0].helpUrl: must be an absolute http(s) URL, got the number 42',
    ]);
  });

  it('refuses labels that are not string-to-string, with empty keys, or unsafe in a URL', () => {
    expect(problemsOf({ ...valid, labels: { '': 'x', n: 1, 'a/b': 'c', ok: 'x#y' } })).toEqual([
      'labels[""]: a label key must not be empty',
      'labels["n"]: must be a string, got the number 1',
      'labels["a/b"]: key must not contain "/", "?" or "#"',
      'labels["ok"]: value must not contain "/", "?" or "#"',
    ]);
    expect(problemsOf({ ...valid, labels: ['env'] })).toEqual([
      'labels: must be an object of string values, got an array',
    ]);
    expect(problemsOf(valid, { ' ': 'x' })).toEqual([
      'options.labels[" "]: a label key must not be empty',
    ]);
  });

  it('refuses negative, non-finite and non-number command timeouts; accepts 0', () => {
    const withTimeout = (timeout: unknown) => ({
      name: 'P',
      commands: [{ name: 'A', outputEvents: [ok], handler, timeout }],
    });
    expect(problemsOf(withTimeout(-1))).toEqual([
      'commands[0].timeout: must be a finite number of milliseconds >= 0, got the number -1',
    ]);
    expect(problemsOf(withTimeout(Infinity)).length).toBe(1);
    expect(problemsOf(withTimeout(NaN)).length).toBe(1);
    expect(problemsOf(withTimeout('5s')).length).toBe(1);
    expect(problemsOf(withTimeout(0))).toEqual([]);
  });

  it('refuses an input or output schema that is not a Standard Schema v1 object', () => {
    const schema = { '~standard': { version: 1, vendor: 'test', validate: () => ({ value: 1 }) } };
    const withSchemas = (input: unknown, output: unknown) => ({
      name: 'P',
      commands: [{ name: 'A', outputEvents: [ok], handler, input, output }],
    });
    expect(problemsOf(withSchemas(schema, schema))).toEqual([]);
    expect(problemsOf(withSchemas({ parse: () => 1 }, 'z.string()'))).toEqual([
      'commands[0].input: must be a Standard Schema v1 object (zod, valibot, arktype, ...: one with a "~standard" property whose version is 1 and whose validate is a function), got an object',
      'commands[0].output: must be a Standard Schema v1 object (zod, valibot, arktype, ...: one with a "~standard" property whose version is 1 and whose validate is a function), got the string "z.string()"',
    ]);
  });

  it('refuses a retry (of a command or the pack) that cannot be followed', () => {
    let n = 0;
    const command = (retry: unknown) => ({ name: `C${n++}`, outputEvents: [ok], handler, retry });
    const good = { attempts: 3, backoff: { initialDelay: 0, factor: 1, maxDelay: 10 } };
    expect(problemsOf({ name: 'P', retry: good, commands: [command({ attempts: 1 })] })).toEqual(
      [],
    );
    expect(
      problemsOf({
        name: 'P',
        commands: [command({ attempts: 2, backoff: () => 5, retryIf: () => true, timeouts: true })],
      }),
    ).toEqual([]);
    expect(
      problemsOf({
        name: 'P',
        retry: { attempts: 0 },
        commands: [
          command(3),
          command({ attempts: 2.5, backoff: { initialDelay: -1, factor: 0.5, maxDelay: NaN } }),
          command({ attempts: 2, backoff: 'exp', retryIf: true, timeouts: 'yes' }),
        ],
      }),
    ).toEqual([
      'commands[0].retry: must be an object ({ attempts, backoff?, retryIf?, timeouts? }), got the number 3',
      'commands[1].retry.attempts: must be a whole number >= 1 (the runs in all, the first included), got the number 2.5',
      'commands[1].retry.backoff.initialDelay: must be a finite number of milliseconds >= 0, got the number -1',
      'commands[1].retry.backoff.maxDelay: must be a finite number of milliseconds >= 0, got the number NaN',
      'commands[1].retry.backoff.factor: must be a finite number >= 1, got the number 0.5',
      'commands[2].retry.backoff: must be { initialDelay?, factor?, maxDelay?, random? } or a function (retry, error) => ms, got the string "exp"',
      'commands[2].retry.retryIf: must be a function (error, attempt) => boolean, got the boolean true',
      'commands[2].retry.timeouts: must be a boolean, got the string "yes"',
      'retry.attempts: must be a whole number >= 1 (the runs in all, the first included), got the number 0',
    ]);
  });

  it('refuses commands/events that are not arrays and a pack that can do nothing', () => {
    expect(problemsOf({ name: 'P', commands: {}, events: 'x' })).toEqual([
      'commands: must be an array, got an object',
      'events: must be an array, got the string "x"',
      'definition: defines neither commands nor events, so the pack can do nothing',
    ]);
    expect(problemsOf({ name: 'P', commands: [], events: [] })).toEqual([
      'definition: defines neither commands nor events, so the pack can do nothing',
    ]);
  });

  it('refuses a command that is not an object, without hiding the other problems', () => {
    expect(
      problemsOf({ name: 'P', commands: [undefined, { name: 'A', outputEvents: [ok], handler }] }),
    ).toEqual(['commands[0]: must be an object, got undefined']);
  });
});
