/**
 * JSON text of a log entry as logform's `json()` writes it (safe-stable-stringify with its
 * defaults): keys sorted, a reference to an enclosing object written `"[Circular]"`, a bigint
 * as a string, `toJSON` honoured, what JSON omits omitted. Written here rather than imported:
 * importing that CommonJS package from an ES module makes Node lex its source, which at
 * start tips V8 into optimising the lexer, a compile whose memory the process keeps.
 *
 * @param value - the entry.
 * @returns its JSON text (`undefined` when JSON has none, e.g. for a function).
 * @example
 * stableJson({ message: 'hi', level: 'info', big: 1n }); // '{"big":"1","level":"info","message":"hi"}'
 */
export function stableJson(value: unknown): string | undefined {
  return write('', { '': value }, []);
}

function write(key: string, holder: Record<string, unknown>, stack: object[]): string | undefined {
  let value = holder[key];
  if (typeof value === 'object' && value !== null) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') value = toJSON.call(value, key) as unknown;
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return String(value);
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'object':
      return value === null ? 'null' : writeObject(value, stack);
    default:
      return undefined;
  }
}

function writeObject(value: object, stack: object[]): string {
  if (stack.includes(value)) return '"[Circular]"';
  stack.push(value);
  const fields = value as Record<string, unknown>;
  let text: string;
  if (Array.isArray(value)) {
    text = `[${value.map((_, i) => write(String(i), fields, stack) ?? 'null').join(',')}]`;
  } else {
    const parts = Object.keys(value)
      .sort()
      .flatMap((k) => {
        const v = write(k, fields, stack);
        return v === undefined ? [] : [`${JSON.stringify(k)}:${v}`];
      });
    text = `{${parts.join(',')}}`;
  }
  stack.pop();
  return text;
}
