import { setFlagsFromString } from 'node:v8';

/**
 * The interrupt budget `runPack` gives V8 unless told otherwise (`FLYTE_V8_INTERRUPT_BUDGET`):
 * the bytes of a function's bytecode run between two of V8's checks of whether to optimise it.
 *
 * Most of a pack's code runs once per action (take, dispatch, deliver), so with V8's own
 * budget (66 KB on Node 20) it stays in the interpreter for the first few thousand actions:
 * a pack just started, or restarted in front of a backlog, spends most of its CPU there. An
 * eighth of it gets that code optimised within a few hundred actions. Only the timing of
 * optimisation changes, not its result: the work moves to V8's compiler threads.
 *
 * @example
 * readConfig({ FLYTE_API: url }).v8InterruptBudget === DEFAULT_V8_INTERRUPT_BUDGET; // true
 */
export const DEFAULT_V8_INTERRUPT_BUDGET = 8192;

/** `node --interrupt-budget=N`, `--interrupt_budget=N` or `--interrupt-budget N`. */
const ON_COMMAND_LINE = /^--interrupt[-_]budget(=|$)/;

/**
 * The V8 flag that sets the interrupt budget to `budget`, or `undefined` when none is to be
 * set: `budget` is 0 (V8's own), or node's command line sets the budget already (the
 * operator's choice wins).
 *
 * | budget | node's command line            | flag                        |
 * | ------ | ------------------------------ | --------------------------- |
 * | 8192   | (no `--interrupt-budget`)      | `--interrupt-budget=8192`   |
 * | 0      | anything                       | none: V8's own              |
 * | 8192   | `--interrupt-budget=100000`    | none: the command line's    |
 *
 * @param budget - bytes of bytecode, or 0.
 * @param execArgv - node's own command-line flags (`process.execArgv`).
 * @returns the flag, or `undefined`.
 * @example
 * interruptBudgetFlag(8192, []); // '--interrupt-budget=8192'
 * interruptBudgetFlag(8192, ['--interrupt-budget=100000']); // undefined
 */
export function interruptBudgetFlag(
  budget: number,
  execArgv: readonly string[],
): string | undefined {
  if (budget <= 0 || execArgv.some((arg) => ON_COMMAND_LINE.test(arg))) return undefined;
  return `--interrupt-budget=${budget}`;
}

/** Where {@link applyInterruptBudget} looks and what it calls (real ones by default). */
export interface InterruptBudgetDeps {
  /** node's own command-line flags. @default process.execArgv */
  readonly execArgv?: readonly string[];
  /** Sets V8 flags. @default v8.setFlagsFromString */
  readonly setFlags?: (flags: string) => void;
}

/**
 * Sets V8's interrupt budget for the whole process as {@link interruptBudgetFlag} decides.
 * V8 reads the budget each time it refills a function's, so a budget set after start applies
 * from then on.
 *
 * @param budget - bytes of bytecode, or 0 for V8's own.
 * @param deps - see {@link InterruptBudgetDeps}.
 * @returns the flag set, or `undefined` when none was.
 * @example
 * applyInterruptBudget(config.v8InterruptBudget);
 */
export function applyInterruptBudget(
  budget: number,
  deps: InterruptBudgetDeps = {},
): string | undefined {
  const flag = interruptBudgetFlag(budget, deps.execArgv ?? process.execArgv);
  if (flag !== undefined) (deps.setFlags ?? setFlagsFromString)(flag);
  return flag;
}
