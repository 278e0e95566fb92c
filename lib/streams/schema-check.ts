import { catchError, defer, from, map, type Observable, of } from 'rxjs';
import { isPromiseLike } from '../model/is-promise-like.js';
import { type SchemaIssue, schemaIssues } from '../model/schema-issue.js';
import type { StandardSchemaResult, StandardSchemaV1 } from '../model/standard-schema.js';

/**
 * What a schema made of a value: the parsed value, or what is wrong with it.
 *
 * @example
 * const checked: SchemaChecked = { ok: true, value: { team: 'db', count: 1 } };
 */
export type SchemaChecked =
  | {
      /** The value matches. */
      readonly ok: true;
      /** The value as the schema parsed it. */
      readonly value: unknown;
    }
  | {
      /** The value does not match. */
      readonly ok: false;
      /** What is wrong, as JSON. */
      readonly issues: readonly SchemaIssue[];
    };

/**
 * Validates `value` with a Standard Schema, lazily on subscription, and emits what it made of
 * it, once, then completes; never errors. A schema whose `validate` returns a promise is
 * waited for; one that throws (or rejects) reports that as the only issue.
 *
 * @param schema - any Standard Schema v1 object.
 * @param value - the value to check.
 * @returns one {@link SchemaChecked}.
 * @example
 * schemaChecked$(z.object({ team: z.string() }), action.input).subscribe((c) => c.ok && run(c.value));
 */
export function schemaChecked$(
  schema: StandardSchemaV1,
  value: unknown,
): Observable<SchemaChecked> {
  return defer(() => {
    const result = schema['~standard'].validate(value);
    return isPromiseLike(result) ? from(result) : of(result);
  }).pipe(
    map(toChecked),
    catchError((error: unknown) =>
      of<SchemaChecked>({
        ok: false,
        issues: [{ message: `the schema threw ${describe(error)}` }],
      }),
    ),
  );
}

function toChecked(result: StandardSchemaResult<unknown>): SchemaChecked {
  return result.issues
    ? { ok: false, issues: schemaIssues(result.issues) }
    : { ok: true, value: result.value };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
