/** The list the checks append their problems to. */
export type Problems = string[];

/** Characters that would break the pack id, which the server puts in URL paths. */
const URL_UNSAFE = /[/?#]/;

/**
 * Whether a value is a plain object (not null, not an array).
 *
 * @param value - anything.
 * @returns true for objects that are not arrays.
 * @example
 * isRecord({}); // true
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A short description of a value for a problem message.
 *
 * @param value - anything.
 * @returns e.g. `undefined`, `an array`, `the number -1`, `the string ""`.
 * @example
 * describe(-1); // 'the number -1'
 */
export function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean')
    return `the ${typeof value} ${value}`;
  return `a${typeof value === 'object' ? 'n' : ''} ${typeof value}`;
}

/**
 * Checks a name: a non-empty string (not only blanks); with `urlSafe`, free of `/`, `?`, `#`.
 *
 * @param name - the value to check.
 * @param at - where it is, for the message.
 * @param problems - where problems go.
 * @param options - `urlSafe`: the name becomes part of a URL path.
 * @returns true when the name is a usable string (further checks may follow).
 * @example
 * checkName(def.name, 'name', problems, { urlSafe: true });
 */
export function checkName(
  name: unknown,
  at: string,
  problems: Problems,
  options: { urlSafe?: boolean } = {},
): name is string {
  if (typeof name !== 'string' || name.trim() === '') {
    problems.push(`${at}: must be a non-empty string, got ${describe(name)}`);
    return false;
  }
  if (options.urlSafe && URL_UNSAFE.test(name)) {
    problems.push(`${at}: must not contain "/", "?" or "#" (it becomes part of the pack's URL)`);
  }
  return true;
}

/**
 * Checks an optional help URL: absent, or an absolute http(s) URL.
 *
 * @param url - the value to check.
 * @param at - where it is, for the message.
 * @param problems - where problems go.
 * @returns true when the URL is present and valid.
 * @example
 * checkHelpUrl(def.helpUrl, 'helpUrl', problems);
 */
export function checkHelpUrl(url: unknown, at: string, problems: Problems): url is string {
  if (url === undefined) return false;
  let protocol = '';
  try {
    protocol = typeof url === 'string' ? new URL(url).protocol : '';
  } catch {
    protocol = '';
  }
  if (protocol === 'http:' || protocol === 'https:') return true;
  problems.push(`${at}: must be an absolute http(s) URL, got ${describe(url)}`);
  return false;
}

/**
 * Checks labels: absent, or an object mapping non-empty, URL-safe string keys to URL-safe
 * strings (labels become part of the pack id).
 *
 * @param labels - the value to check.
 * @param at - where it is, for the message.
 * @param problems - where problems go.
 * @example
 * checkLabels(def.labels, 'labels', problems);
 */
export function checkLabels(labels: unknown, at: string, problems: Problems): void {
  if (labels === undefined) return;
  if (!isRecord(labels)) {
    problems.push(`${at}: must be an object of string values, got ${describe(labels)}`);
    return;
  }
  for (const [key, value] of Object.entries(labels)) {
    const where = `${at}[${JSON.stringify(key)}]`;
    if (key.trim() === '') problems.push(`${where}: a label key must not be empty`);
    else if (URL_UNSAFE.test(key)) problems.push(`${where}: key must not contain "/", "?" or "#"`);
    if (typeof value !== 'string') {
      problems.push(`${where}: must be a string, got ${describe(value)}`);
    } else if (URL_UNSAFE.test(value)) {
      problems.push(`${where}: value must not contain "/", "?" or "#"`);
    }
  }
}
