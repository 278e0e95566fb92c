// runPack's JSON lines are written without winston (issue 22: winston's modules cost start
// time and memory): each case below is logged through both loggers, which must write the very
// same line, timestamps aside.
import { Writable } from 'node:stream';
import type { Logger } from '../../../lib/model/logger.js';
import type { LogLevel } from '../../../lib/node/config.js';
import { jsonLinesLogger } from '../../../lib/node/json-lines-logger.js';
import { createLogger } from '../../../lib/node/winston-logger.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.c2VjcmV0.sig';

/** A stream that keeps the lines written to it. */
function sink(): Writable & { lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return Object.assign(stream, { lines });
}

/** The lines `log` writes through a logger `make` builds, timestamps replaced by `T`. */
function linesOf(make: (stream: Writable) => Logger, log: (logger: Logger) => void): string[] {
  const stream = sink();
  log(make(stream));
  return stream.lines.map((l) => l.replace(/"timestamp":"[^"]+"/, '"timestamp":"T"'));
}

const circular: Record<string, unknown> = { name: 'loop' };
circular['self'] = circular;

interface Case {
  readonly name: string;
  readonly level: LogLevel;
  readonly secrets: string[];
  readonly log: (logger: Logger) => void;
}

const CASES: Case[] = [
  { name: 'a message alone', level: 'info', secrets: [], log: (l) => l.info('registered') },
  {
    name: 'meta fields, nested, keys sorted',
    level: 'info',
    secrets: [],
    log: (l) =>
      l.warn('action failed', { command: 'Rota', actionId: '42', payload: { z: 1, a: [2] } }),
  },
  {
    name: "meta's own message, stack and cause",
    level: 'info',
    secrets: [],
    log: (l) => l.error('cannot run', { message: 'refused', stack: 'Error: at x', cause: 'gone' }),
  },
  {
    name: 'an Error, a bigint and a circular value in meta',
    level: 'info',
    secrets: [],
    log: (l) => l.error('failed', { error: new Error('boom'), big: 10n, circular }),
  },
  {
    name: 'what JSON omits or writes as null, toJSON, a value met twice without a cycle',
    level: 'info',
    secrets: [],
    log: (l) => {
      const shared = { b: 2, a: 1 };
      l.info('odd values', {
        at: new Date(0),
        none: undefined,
        fn: () => 1,
        list: [undefined, () => 1, NaN, Infinity, -0, null, shared],
        again: shared,
        [Symbol('s')]: 'hidden',
        nested: { z: { y: [1, { x: true }] } },
        quote: 'a "quoted"\nline\u2028',
      });
    },
  },
  {
    name: 'below the level: nothing; at it: the line',
    level: 'warn',
    secrets: [],
    log: (l) => {
      l.info('quiet');
      l.debug('quieter');
      l.warn('loud');
    },
  },
  {
    name: 'debug lines at debug',
    level: 'debug',
    secrets: [],
    log: (l) => l.debug('handled', { actionId: '7' }),
  },
  {
    name: 'secrets out of the message, meta values and keys',
    level: 'info',
    secrets: [TOKEN],
    log: (l) =>
      l.info(`token ${TOKEN}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
        [TOKEN]: 1,
        circular,
      }),
  },
];

describe('jsonLinesLogger (runPack without winston)', () => {
  for (const c of CASES) {
    it(`writes the line createLogger's json format writes: ${c.name}`, () => {
      const json = linesOf(
        (stream) => jsonLinesLogger({ level: c.level, secrets: c.secrets, stream }),
        c.log,
      );
      const winston = linesOf(
        (stream) => createLogger({ level: c.level, secrets: c.secrets, format: 'json', stream }),
        c.log,
      );
      expect(json.length).toBeGreaterThan(0);
      expect(json).toEqual(winston);
    });
  }

  it('keeps the secrets out, as the case above shows winston does', () => {
    const [line] = linesOf(
      (stream) => jsonLinesLogger({ level: 'info', secrets: [TOKEN], stream }),
      (l) => l.info(`token ${TOKEN}`, { nested: { token: TOKEN } }),
    );
    expect(line).not.toContain(TOKEN);
    expect(JSON.parse(line!)).toEqual(
      jasmine.objectContaining({ message: 'token [REDACTED]', nested: { token: '[REDACTED]' } }),
    );
  });
});
