import type { Observable } from 'rxjs';
import type { RunHelpers, TestScheduler } from 'rxjs/testing';
import type { FlyteEvent, PackDef } from '../model/definitions.js';
import type { Pack } from '../pack/pack.js';
import type { PackOptions, StopOptions } from '../pack/pack-options.js';
import type { FlyteModel } from './flyte-model.js';
import type { Latency } from './in-memory-call.js';
import type { InMemoryFlyteApi } from './in-memory-flyte-api.js';
import type { ExpectedResult } from './expected-result.js';
import type { RecordedEvent, RecordedResult } from './server-records.js';

/**
 * An action a flow step creates for the pack under test: a command name, or the command with
 * its input (and the labels the step requires).
 *
 * @example
 * enqueue('a 999ms b', { a: 'Rota', b: { command: 'Rota', input: { team: 'db' } } });
 */
export type ActionSpec =
  | string
  | {
      /** The command to run. */
      readonly command: string;
      /** The action's input. @default undefined */
      readonly input?: unknown;
      /** Only packs carrying all these labels may take it. @default none */
      readonly packLabels?: Readonly<Record<string, string>>;
    };

/** How a take went, as {@link PackTestContext.takes$} reports it. */
export type TakeOutcome = 'action' | 'empty' | 'error';

/**
 * Options of a marble pack test: the {@link PackOptions} of the pack (minus the transport,
 * which is the in-memory API, and the scheduler, which is the test's), plus when to stop.
 * The logger defaults to silent, the backoff jitter to 0.5 (so retries wait exactly half
 * the ceiling: 500 ms, 1 s, 2 s, ...) and `polling.burst` to `false` (so a result lands on the
 * first poll after its action was created, on whole poll intervals; give `polling.burst` to
 * test it).
 *
 * @example
 * testPack(def, { polling: { interval: 1000 }, handlers: { concurrency: 2 }, stopAt: 10_000 }, (t) => { ... });
 */
export interface PackTestOptions extends Omit<
  PackOptions,
  'api' | 'url' | 'token' | 'trustedOrigins' | 'requestTimeout' | 'scheduler'
> {
  /** Virtual time (ms) at which the pack is stopped gracefully; the test ends once it has. @default 60000 */
  readonly stopAt?: number;
  /** How the pack is stopped at `stopAt`. @default the pack's defaults (grace 30 s, flush 10 s) */
  readonly stop?: StopOptions;
  /** Answer delay of the in-memory API, in ms. @default 0 */
  readonly latency?: Latency;
}

/**
 * What a marble pack test works with. Time is virtual, as in `TestScheduler.run`: one marble
 * character is 1 ms, `1s` and `999ms` progress time, and a group `(ab)` takes as many frames
 * as it has characters. The pack starts at frame 0, after what the test scheduled for frame 0,
 * and stops at `stopAt`. The expectations list values only: the streams they watch never
 * complete.
 *
 * @example
 * testPack(rotaPack({ random: () => 0.2 }), ({ enqueue, expectResults }) => {
 *   enqueue('a', { a: 'Rota' });
 *   expectResults('a', { a: { command: 'Rota', event: 'RotaRetrieved', payload: 'Jane' } });
 * });
 */
export interface PackTestContext extends RunHelpers {
  /** The pack under test (running on the test scheduler, over the in-memory API). */
  readonly pack: Pack;
  /** The in-memory API: fault scripting (`failNext`, `onCall`) and the call log. */
  readonly api: InMemoryFlyteApi;
  /** The server state: packs, actions, events. */
  readonly model: FlyteModel;
  /** The test's virtual-time scheduler. */
  readonly scheduler: TestScheduler;
  /** Creates actions for the pack at the frames of `marbles`; a value is an {@link ActionSpec}. */
  enqueue(marbles: string, actions?: Readonly<Record<string, ActionSpec>>): void;
  /** Calls `pack.sendEvent` at the frames of `marbles`. */
  sendEvents(marbles: string, events: Readonly<Record<string, FlyteEvent>>): void;
  /** Runs `fn` at virtual time `time` (e.g. to delete the pack on the server, or script a fault). */
  at(time: number, fn: () => void): void;
  /** Results as the server recorded them, when it recorded them. */
  readonly results$: Observable<RecordedResult>;
  /** Spontaneous events as the server recorded them. */
  readonly events$: Observable<RecordedEvent>;
  /** Every take, when it was answered. */
  readonly takes$: Observable<TakeOutcome>;
  /**
   * Asserts {@link results$}; a value without `payload` checks the command and the event only.
   */
  expectResults(marbles: string, values?: Readonly<Record<string, ExpectedResult>>): void;
  /** Asserts {@link events$}. */
  expectEvents(marbles: string, values?: Readonly<Record<string, RecordedEvent>>): void;
  /**
   * Asserts {@link takes$}; without values, `a` is a take that got an action, `e` an empty one
   * (204), `x` a failed one.
   */
  expectTakes(marbles: string, values?: Readonly<Record<string, TakeOutcome>>): void;
}

/**
 * What a marble pack test leaves behind, for assertions after virtual time has run out.
 *
 * @example
 * const { model, errors } = testPack(def, {}, ({ enqueue }) => enqueue('a', { a: 'Rota' }));
 * expect(model.actions().map((a) => a.state)).toEqual(['SUCCESS']);
 */
export interface PackTestResult {
  /** The pack that ran (stopped by now). */
  readonly pack: Pack;
  /** The in-memory API it ran against. */
  readonly api: InMemoryFlyteApi;
  /** The in-memory server's state: actions, events, packs. */
  readonly model: FlyteModel;
  /** Everything the pack reported on `errors$`. */
  readonly errors: readonly unknown[];
}

/**
 * Runs a whole pack in virtual time; see {@link testPack}.
 *
 * @example
 * const run: PackTest = testPackWith((a, e) => expect(a).toEqual(e));
 */
export interface PackTest {
  (def: PackDef, body: (t: PackTestContext) => void): PackTestResult;
  (def: PackDef, options: PackTestOptions, body: (t: PackTestContext) => void): PackTestResult;
}
