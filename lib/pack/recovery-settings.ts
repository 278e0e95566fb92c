import type { RecoveryOptions } from './pack-options.js';

/**
 * The problems of a pack's `recovery` option: `after` a number > 0, `every` and
 * `horizon` (when given) numbers > 0.
 *
 * @param options - the option as given (may be absent).
 * @returns each problem, prefixed with where it is; empty when valid or absent.
 * @example
 * recoveryProblems({ after: -1 }); // ['options.recovery.after: must be a number > 0, got -1']
 */
export function recoveryProblems(options: RecoveryOptions | undefined): string[] {
  if (options === undefined) return [];
  if (typeof options !== 'object' || options === null) {
    return [`options.recovery: must be an object { after, every?, horizon? }`];
  }
  const problems: string[] = [];
  const check = (name: keyof RecoveryOptions, required: boolean) => {
    const value: unknown = options[name];
    if (value === undefined && !required) return;
    if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
      problems.push(`options.recovery.${name}: must be a number > 0 (ms), got ${String(value)}`);
    }
  };
  check('after', true);
  check('every', false);
  check('horizon', false);
  return problems;
}
