// The Standard Schema v1 interface (https://standardschema.dev), which zod, valibot, arktype
// and others implement: written out here, types only, so that the core depends on none of them.

/**
 * A schema of any library that implements Standard Schema v1 (zod ≥ 3.24, valibot ≥ 1,
 * arktype ≥ 2, ...): what a command's `input` and `output` accept.
 *
 * @typeParam Input - the type of a value the schema accepts.
 * @typeParam Output - the type of the value it parses that into (defaults applied, say).
 * @example
 * import { z } from 'zod';
 * const input: StandardSchemaV1<unknown, { team: string }> = z.object({ team: z.string() });
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  /** The standard properties. */
  readonly '~standard': StandardSchemaProps<Input, Output>;
}

/**
 * The standard properties of a {@link StandardSchemaV1}.
 *
 * @typeParam Input - the type of a value the schema accepts.
 * @typeParam Output - the type of the parsed value.
 * @example
 * const result = await schema['~standard'].validate(value);
 */
export interface StandardSchemaProps<Input = unknown, Output = Input> {
  /** The version of the standard. */
  readonly version: 1;
  /** The library the schema comes from. */
  readonly vendor: string;
  /** Validates a value: its parsed value or its issues, now or as a promise. */
  readonly validate: (
    value: unknown,
  ) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
  /** The schema's input and output types, for inference only. */
  readonly types?: StandardSchemaTypes<Input, Output> | undefined;
}

/**
 * What a schema's `validate` gives: the parsed value, or the issues.
 *
 * @typeParam Output - the type of the parsed value.
 * @example
 * const result: StandardSchemaResult<string> = { value: 'db' };
 */
export type StandardSchemaResult<Output> =
  | {
      /** The parsed value. */
      readonly value: Output;
      /** No issues. */
      readonly issues?: undefined;
    }
  | {
      /** What is wrong with the value. */
      readonly issues: ReadonlyArray<StandardSchemaIssue>;
    };

/**
 * One thing wrong with a value, as a schema reports it.
 *
 * @example
 * const issue: StandardSchemaIssue = { message: 'Expected string', path: ['team'] };
 */
export interface StandardSchemaIssue {
  /** What is wrong. */
  readonly message: string;
  /** Where, from the root of the value: keys, or segments with a key. */
  readonly path?: ReadonlyArray<PropertyKey | StandardSchemaPathSegment> | undefined;
}

/**
 * A segment of a {@link StandardSchemaIssue.path}.
 *
 * @example
 * const segment: StandardSchemaPathSegment = { key: 'team' };
 */
export interface StandardSchemaPathSegment {
  /** The key of the segment. */
  readonly key: PropertyKey;
}

/**
 * The input and output types of a {@link StandardSchemaV1}, for inference only.
 *
 * @typeParam Input - the type of a value the schema accepts.
 * @typeParam Output - the type of the parsed value.
 * @example
 * type T = NonNullable<StandardSchemaProps<unknown, string>['types']>['output']; // string
 */
export interface StandardSchemaTypes<Input = unknown, Output = Input> {
  /** The type of a value the schema accepts. */
  readonly input: Input;
  /** The type of the parsed value. */
  readonly output: Output;
}

/**
 * The type a schema parses a value into.
 *
 * @typeParam S - the schema.
 * @example
 * type Input = InferSchemaOutput<typeof rotaInput>; // { team: string; count: number }
 */
export type InferSchemaOutput<S extends StandardSchemaV1> = NonNullable<
  S['~standard']['types']
>['output'];
