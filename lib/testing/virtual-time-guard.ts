import type { Command, HandlerContext, PackDef } from '../model/definitions.js';

/**
 * A copy of `def` whose handlers report, through `onPromise`, every time they return a
 * promise. Promises settle on the microtask queue, which virtual time does not drain, so a
 * promise-returning handler can not finish inside a marble test; the marble helpers use this
 * to fail such a test with an explanation instead of a puzzling FATAL `timeout`.
 *
 * @param def - the pack definition.
 * @param onPromise - told the command whose handler returned a promise.
 * @returns the guarded definition (pipelines are left as they are).
 * @example
 * const guarded = guardPromiseHandlers(def, (command) => misuses.push(command));
 */
export function guardPromiseHandlers(def: PackDef, onPromise: (command: string) => void): PackDef {
  if (!def.commands) return def;
  return { ...def, commands: def.commands.map((c: Command) => guardCommand(c, onPromise)) };
}

function guardCommand(command: Command, onPromise: (command: string) => void): Command {
  const handler = command.handler;
  if (!handler) return command;
  const run =
    typeof handler === 'function'
      ? handler
      : typeof handler.handle === 'function'
        ? (input: unknown, context: HandlerContext) => handler.handle(input, context)
        : undefined;
  if (!run) return command;
  return {
    ...command,
    handler: (input: unknown, context: HandlerContext) => {
      const result = run(input, context);
      if (isPromiseLike(result)) onPromise(command.name);
      return result;
    },
  };
}

function isPromiseLike(value: unknown): boolean {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * The error a marble test ends with when handlers returned promises.
 *
 * @param commands - the commands whose handlers did.
 * @returns the error, saying what to do instead.
 * @example
 * throw promiseHandlerError(['Rota']);
 */
export function promiseHandlerError(commands: readonly string[]): Error {
  const names = [...new Set(commands)].map((c) => `"${c}"`).join(', ');
  return new Error(
    `the handler of ${names} returned a Promise, which cannot settle in virtual time. ` +
      'In a marble test, return an event or an Observable (e.g. timer(100).pipe(map(() => event)), ' +
      'or of(stubbedValue) in place of the I/O); test promise-based handlers against the fake ' +
      'flyte server instead.',
  );
}
