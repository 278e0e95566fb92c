import { firstValueFrom, type Observable } from 'rxjs';

/**
 * The error an observable ends with; fails the spec when it emits a value instead.
 *
 * @param source$ - the observable expected to fail.
 * @returns the error it failed with.
 * @example
 * const error = await errorOf(api.discover());
 * expect(error).toBeInstanceOf(NetworkError);
 */
export async function errorOf(source$: Observable<unknown>): Promise<unknown> {
  return firstValueFrom(source$).then(
    (value) => fail(`expected an error, got ${JSON.stringify(value)}`),
    (error: unknown) => error,
  );
}
