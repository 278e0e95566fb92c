import { Observable, isObservable } from 'rxjs';
import type { Command, CommandPipeline, HandlerContext, PackDef } from '../model/definitions.js';
import { isPromiseLike } from '../model/is-promise-like.js';

/**
 * How a command used a promise in a marble test: its handler `returned` one, or its handler's
 * observable or its pipeline `waited` on one (`from(promise)`, an async function given to
 * `switchMap`, ...).
 *
 * @example
 * const misuse: PromiseMisuse = { command: 'Rota', kind: 'waited' };
 */
export interface PromiseMisuse {
  readonly command: string;
  readonly kind: 'returned' | 'waited';
}

/**
 * Finds the promises a marble test's commands depend on. Promises settle on the microtask
 * queue, which virtual time does not drain, so a command that returns or waits on one cannot
 * finish inside a marble test; the test then fails with {@link promiseMisuseError}, first,
 * instead of a puzzling FATAL `timeout`. A handler that returns a promise is seen when it
 * returns; a wait is seen as a call to `then` (how RxJS subscribes to a promise) while a
 * command's handler or pipeline is running, inside {@link VirtualTimeGuard.watch}. One guard
 * per test.
 *
 * @example
 * const guard = new VirtualTimeGuard();
 * const pack = new Pack(guard.guard(def), { api, scheduler });
 * guard.watch(() => scheduler.run(() => { ... }));
 * guard.throwIfMisused();
 */
export class VirtualTimeGuard {
  private readonly misuses: PromiseMisuse[] = [];
  /** The commands running now, with how many of their runs are. */
  private readonly running = new Map<string, number>();
  /** Promises already reported as returned by a handler (the runtime subscribes to them). */
  private readonly returned = new WeakSet<object>();
  private unwatchedDepth = 0;

  /**
   * A copy of `def` whose handlers and pipelines report to this guard.
   *
   * @param def - the pack definition.
   * @returns the guarded definition.
   * @example
   * new Pack(guard.guard(def), options);
   */
  guard(def: PackDef): PackDef {
    if (!def.commands) return def;
    return { ...def, commands: def.commands.map((c) => this.guardCommand(c)) };
  }

  /**
   * Runs `fn` (the whole virtual-time run) with `Promise.prototype.then` watched, and restores
   * it afterwards. The run is synchronous, so nothing outside it sees the change.
   *
   * @param fn - the run.
   * @returns what `fn` returns.
   * @example
   * guard.watch(() => scheduler.run(body));
   */
  watch<T>(fn: () => T): T {
    const then = Promise.prototype.then;
    const onThen = (promise: object) => this.onThen(promise);
    Promise.prototype.then = function (this: Promise<unknown>, ...args: Parameters<typeof then>) {
      onThen(this);
      return then.apply(this, args);
    } as typeof then;
    try {
      return fn();
    } finally {
      Promise.prototype.then = then;
    }
  }

  /**
   * Runs `fn` — the test's own code, not a command's — without watching its promises.
   *
   * @param fn - what the test does at a given time.
   * @returns what `fn` returns.
   * @example
   * guard.unwatched(() => void pack.sendEvent(event).catch(() => undefined));
   */
  unwatched<T>(fn: () => T): T {
    this.unwatchedDepth++;
    try {
      return fn();
    } finally {
      this.unwatchedDepth--;
    }
  }

  /**
   * Throws {@link promiseMisuseError} when a command returned or waited on a promise.
   *
   * @example
   * new TestScheduler((a, e) => { guard.throwIfMisused(); assert(a, e); });
   */
  throwIfMisused(): void {
    if (this.misuses.length) throw promiseMisuseError(this.misuses);
  }

  private guardCommand(command: Command): Command {
    if (command.pipeline) {
      const pipeline = command.pipeline;
      const guarded: CommandPipeline = (input$) =>
        this.tracked(
          command.name,
          this.running$(command.name, () => pipeline(input$)),
        );
      return { ...command, pipeline: guarded };
    }
    const handler = command.handler;
    const run =
      typeof handler === 'function'
        ? handler
        : typeof handler?.handle === 'function'
          ? (input: unknown, context: HandlerContext) => handler.handle(input, context)
          : undefined;
    if (!run) return command;
    return {
      ...command,
      handler: (input: unknown, context: HandlerContext) => {
        const result = this.running$(command.name, () => run(input, context));
        if (isObservable(result)) return this.tracked(command.name, result);
        if (isPromiseLike(result)) {
          this.returned.add(result);
          this.misuses.push({ command: command.name, kind: 'returned' });
        }
        return result;
      },
    };
  }

  /** `source`, counted as a run of `command` while subscribed. */
  private tracked<T>(command: string, source: Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      const done = this.enter(command);
      const subscription = this.running$(command, () => source.subscribe(subscriber));
      return () => {
        subscription.unsubscribe();
        done();
      };
    });
  }

  private running$<T>(command: string, fn: () => T): T {
    const done = this.enter(command);
    try {
      return fn();
    } finally {
      done();
    }
  }

  private enter(command: string): () => void {
    this.running.set(command, (this.running.get(command) ?? 0) + 1);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const n = (this.running.get(command) ?? 1) - 1;
      if (n > 0) this.running.set(command, n);
      else this.running.delete(command);
    };
  }

  private onThen(promise: object): void {
    if (this.unwatchedDepth > 0 || this.returned.has(promise)) return;
    for (const command of this.running.keys()) this.misuses.push({ command, kind: 'waited' });
  }
}

/**
 * The error a marble test ends with when commands returned or waited on promises.
 *
 * @param misuses - what the commands did.
 * @returns the error, saying what to do instead.
 * @example
 * throw promiseMisuseError([{ command: 'Rota', kind: 'returned' }]);
 */
export function promiseMisuseError(misuses: readonly PromiseMisuse[]): Error {
  const names = (kind: PromiseMisuse['kind']) =>
    [...new Set(misuses.filter((m) => m.kind === kind).map((m) => `"${m.command}"`))].join(', ');
  const returned = names('returned');
  const waited = names('waited');
  const what = [
    ...(returned ? [`the handler of ${returned} returned a Promise`] : []),
    ...(waited
      ? [
          `the handler or pipeline of ${waited} waited on a Promise (from(promise), or an async ` +
            'function given to switchMap or mergeMap)',
        ]
      : []),
  ].join(', and ');
  return new Error(
    `${what}, which cannot settle in virtual time. ` +
      'In a marble test, return an event or an Observable (e.g. timer(100).pipe(map(() => event)), ' +
      'or of(stubbedValue) in place of the I/O); test promise-based handlers in real time, ' +
      'against InMemoryFlyteApi or the fake flyte server, with await.',
  );
}
