/**
 * Writes the marbles of values at absolute virtual times, so a test says when things happen
 * instead of counting frames: `marblesAt({ a: 0, b: 1500 })` is `'a 1499ms b'` (a marble
 * character takes one frame, and so the gap after it is one shorter). Values at the same time
 * form a group, `(ab)`, which takes as many frames as it has characters.
 *
 * @param times - for each marble value (one character), its time in ms (a whole number >= 0).
 * @returns the marbles, for `enqueue`, `expectResults`, `cold`, ...
 * @throws `RangeError` when a time is not a whole number >= 0, when a value is not one
 *   character, or when a time falls inside the frames of the marbles before it (a group of two
 *   at 0 takes frames 0 to 3).
 * @example
 * t.enqueue(marblesAt({ a: 0, b: 1500 }), { a: 'Rota', b: 'Rota' });
 * t.expectResults(marblesAt({ a: 0, b: 2000 }), { a: rotaRetrieved, b: rotaRetrieved });
 */
export function marblesAt(times: Readonly<Record<string, number>>): string {
  const byTime = new Map<number, string[]>();
  for (const [value, time] of Object.entries(times)) {
    if (value.length !== 1) throw new RangeError(`"${value}": a marble value is one character`);
    if (!Number.isInteger(time) || time < 0) {
      throw new RangeError(`"${value}": ${time} is not a whole number of ms >= 0`);
    }
    byTime.set(time, [...(byTime.get(time) ?? []), value]);
  }
  const parts: string[] = [];
  let frame = 0; // the first frame not yet taken up
  let previous = '';
  for (const [time, values] of [...byTime].sort(([a], [b]) => a - b)) {
    if (time < frame) {
      throw new RangeError(
        `"${values.join('')}" at ${time} ms: the marbles before it take up frames up to ${frame - 1} (a group "${previous}" takes ${previous.length})`,
      );
    }
    const token = values.length === 1 ? values.join('') : `(${values.join('')})`;
    const gap = time - frame;
    if (gap > 0) parts.push(` ${gap}ms `);
    parts.push(token);
    frame = time + token.length;
    previous = token;
  }
  return parts.join('').trim();
}
