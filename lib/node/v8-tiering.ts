import { setFlagsFromString } from 'node:v8';

/**
 * A V8 version: major, minor.
 *
 * @example
 * const node20: V8Version = [11, 3];
 */
export type V8Version = readonly [number, number];

/**
 * How `runPack` has V8 optimise code sooner (`FLYTE_V8_OPTIMISE_EARLY`), for each V8 on which
 * that was verified: the flag, the value it is given (about an eighth of V8's own) and V8's own.
 *
 * Most of a pack's code runs once per action (take, dispatch, deliver). A V8 without an early
 * optimising tier leaves such code unoptimised for the first few thousand actions: a pack just
 * started, or restarted in front of a backlog, then spends about twice the CPU per action of a
 * warm one. Only when code is optimised changes, not what it does; the compiling is done on
 * V8's compiler threads.
 *
 * - V8 11.3 (Node 20) counts bytecode run: `--interrupt-budget`.
 * - V8 11.8 and 12.4 (Node 21 and 22) count calls: `--invocation-count-for-turbofan`.
 * - From V8 12.9 (Node 23) on, Maglev, V8's early tier, optimises such code after a few hundred
 *   calls by default, and a lower TurboFan threshold there only adds compiling: nothing is set.
 *   Nothing is set on a V8 not listed either: an unknown flag would make V8 print an error.
 *
 * @example
 * EARLY_OPTIMISATION[0].flag; // '--interrupt-budget'
 */
export const EARLY_OPTIMISATION: ReadonlyArray<{
  /** The first V8 version of the row. */
  readonly from: V8Version;
  /** The first V8 version after it. */
  readonly below: V8Version;
  /** The V8 flag. */
  readonly flag: string;
  /** The value `runPack` gives it: about an eighth of V8's own. */
  readonly value: number;
  /** V8's own value. */
  readonly own: number;
}> = [
  { from: [11, 3], below: [11, 4], flag: '--interrupt-budget', value: 8192, own: 67584 },
  {
    from: [11, 8],
    below: [12, 5],
    flag: '--invocation-count-for-turbofan',
    value: 375,
    own: 3000,
  },
];

/** `a` is before `b`. */
const before = (a: V8Version, b: V8Version): boolean =>
  a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

/** The row of {@link EARLY_OPTIMISATION} for `v8Version` (`process.versions.v8`), if any. */
function rowFor(v8Version: string): (typeof EARLY_OPTIMISATION)[number] | undefined {
  const match = /^(\d+)\.(\d+)\./.exec(v8Version);
  if (!match) return undefined;
  const version: V8Version = [Number(match[1]), Number(match[2])];
  return EARLY_OPTIMISATION.find((row) => !before(version, row.from) && before(version, row.below));
}

/**
 * The V8 flag that has code optimised sooner on V8 `v8Version`, or `undefined` when none is to
 * be set: a V8 with an early tier of its own, or not listed in {@link EARLY_OPTIMISATION}, or
 * node's command line sets that flag already (the operator's choice wins).
 *
 * | V8 (Node)               | node's command line                    | flag                                  |
 * | ----------------------- | -------------------------------------- | ------------------------------------- |
 * | 11.3 (20)               | no `--interrupt-budget`                | `--interrupt-budget=8192`             |
 * | 11.8, 12.4 (21, 22)     | no `--invocation-count-for-turbofan`   | `--invocation-count-for-turbofan=375` |
 * | 11.3 (20)               | `--interrupt-budget=100000`            | none: the command line's              |
 * | 12.9 and later (23 on)  | anything                               | none: Maglev optimises early          |
 * | any other               | anything                               | none                                  |
 *
 * @param v8Version - V8's version (`process.versions.v8`).
 * @param execArgv - node's own command-line flags (`process.execArgv`).
 * @returns the flag with its value, or `undefined`.
 * @example
 * earlyOptimisationFlag('11.3.244.8-node.19', []); // '--interrupt-budget=8192'
 * earlyOptimisationFlag('13.6.233.17-node.53', []); // undefined
 */
export function earlyOptimisationFlag(
  v8Version: string,
  execArgv: readonly string[],
): string | undefined {
  const row = rowFor(v8Version);
  if (row === undefined) return undefined;
  // V8 reads `_` and `-` alike in flag names; the value may follow `=` or come next.
  const name = row.flag.replace(/-/g, '[-_]');
  const given = new RegExp(`^${name}(=|$)`);
  if (execArgv.some((arg) => given.test(arg))) return undefined;
  return `${row.flag}=${row.value}`;
}

/** What {@link applyEarlyOptimisation} reads and calls (the process's own by default). */
export interface EarlyOptimisationDeps {
  /** V8's version. @default process.versions.v8 */
  readonly v8Version?: string;
  /** node's own command-line flags. @default process.execArgv */
  readonly execArgv?: readonly string[];
  /** Sets V8 flags. @default v8.setFlagsFromString */
  readonly setFlags?: (flags: string) => void;
}

/**
 * Has V8 optimise code sooner, for the whole process, as {@link earlyOptimisationFlag}
 * decides. V8 reads the flag each time it counts a function's runs again, so one set after
 * start applies from then on.
 *
 * @param enabled - `false` sets nothing (`FLYTE_V8_OPTIMISE_EARLY=false`).
 * @param deps - see {@link EarlyOptimisationDeps}.
 * @returns the flag set, or `undefined` when none was.
 * @example
 * applyEarlyOptimisation(config.v8OptimiseEarly);
 */
export function applyEarlyOptimisation(
  enabled: boolean,
  deps: EarlyOptimisationDeps = {},
): string | undefined {
  if (!enabled) return undefined;
  const flag = earlyOptimisationFlag(
    deps.v8Version ?? process.versions.v8,
    deps.execArgv ?? process.execArgv,
  );
  if (flag !== undefined) (deps.setFlags ?? setFlagsFromString)(flag);
  return flag;
}
