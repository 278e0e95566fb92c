import type { StandardSchemaIssue } from './standard-schema.js';

/**
 * One thing wrong with an action's input (or a handler's output), as a `FATAL` payload carries
 * it: plain JSON, whichever schema library found it.
 *
 * @example
 * const issue: SchemaIssue = { message: 'Invalid input: expected string, received number', path: ['team'] };
 */
export interface SchemaIssue {
  /** What is wrong, in the schema library's words. */
  readonly message: string;
  /** Where, from the root of the value (keys and array indexes); absent for the value itself. */
  readonly path?: readonly (string | number)[];
}

/**
 * The issues of a schema as JSON: each path segment reduced to its key (a symbol to its
 * description), an empty path dropped.
 *
 * @param issues - the issues the schema reported.
 * @returns the same issues, fit for a `FATAL` payload.
 * @example
 * schemaIssues([{ message: 'Required', path: [{ key: 'team' }] }]); // [{ message: 'Required', path: ['team'] }]
 */
export function schemaIssues(issues: readonly StandardSchemaIssue[]): SchemaIssue[] {
  return issues.map(({ message, path }) => {
    const keys = (path ?? []).map((segment) => {
      const key = typeof segment === 'object' && segment !== null ? segment.key : segment;
      return typeof key === 'number'
        ? key
        : String(typeof key === 'symbol' ? key.description : key);
    });
    return keys.length ? { message, path: keys } : { message };
  });
}

/**
 * The issues in one line: `path: message; path: message` (the message alone at the root).
 *
 * @param issues - the issues.
 * @returns the line.
 * @example
 * describeIssues([{ message: 'Required', path: ['team'] }]); // 'team: Required'
 */
export function describeIssues(issues: readonly SchemaIssue[]): string {
  return issues
    .map(({ message, path }) => (path ? `${path.join('.')}: ${message}` : message))
    .join('; ');
}
