import { Writable } from 'node:stream';
import winston from 'winston';
import type { Logger } from '../../../lib/model/logger.js';
import { createLogger, type CreateLoggerOptions } from '../../../lib/node/winston-logger.js';
import { redactFormat } from '../../../lib/node/redact-format.js';
import { redactingLogger } from '../../../lib/node/redacting-logger.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.c2VjcmV0.sig';

/** A stream that keeps what is written, optionally pretending to be a terminal. */
function sink(isTTY = false): Writable & { lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return Object.assign(stream, { lines, isTTY });
}

function logTo(options: Omit<CreateLoggerOptions, 'stream'>, isTTY = false) {
  const stream = sink(isTTY);
  return { logger: createLogger({ ...options, stream }), lines: stream.lines };
}

describe('createLogger', () => {
  it('writes JSON lines with timestamp, level, message and meta when not on a terminal', () => {
    const { logger, lines } = logTo({});
    const core: Logger = logger;
    core.info('action handled', { actionId: '42', command: 'Rota' });
    expect(lines.length).toBe(1);
    const entry = JSON.parse(lines[0]);
    expect(entry).toEqual({
      level: 'info',
      message: 'action handled',
      actionId: '42',
      command: 'Rota',
      timestamp: jasmine.any(String),
    });
    expect(Number.isNaN(Date.parse(entry.timestamp))).toBeFalse();
  });

  it('writes human-readable lines on a terminal, action meta first', () => {
    const { logger, lines } = logTo({}, true);
    logger.warn('slow handler', { elapsed: 12, command: 'Rota', actionId: '42' });
    expect(lines.length).toBe(1);
    expect(() => JSON.parse(lines[0])).toThrow();
    expect(lines[0]).toContain('\u001b['); // a coloured level
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\dT\S+ \S*warn\S* slow handler actionId=42 command=Rota elapsed=12$/,
    );
  });

  it('obeys an explicit format whatever the stream is', () => {
    const json = logTo({ format: 'json' }, true);
    json.logger.info('x');
    expect(JSON.parse(json.lines[0]).message).toBe('x');
    const pretty = logTo({ format: 'pretty' }, false);
    pretty.logger.info('x');
    expect(() => JSON.parse(pretty.lines[0])).toThrow();
    expect(pretty.lines[0]).toContain(' x');
    expect(pretty.lines[0]).not.toContain('\u001b['); // colours only on a terminal
  });

  it('drops entries below the level (info by default)', () => {
    const byDefault = logTo({});
    byDefault.logger.debug('hidden');
    byDefault.logger.info('shown');
    expect(byDefault.lines.map((l) => JSON.parse(l).message)).toEqual(['shown']);

    const warn = logTo({ level: 'warn' });
    ['error', 'warn', 'info', 'debug'].forEach((level) => warn.logger.log(level, level));
    expect(warn.lines.map((l) => JSON.parse(l).level)).toEqual(['error', 'warn']);

    const debug = logTo({ level: 'debug' });
    debug.logger.debug('shown');
    expect(debug.lines.length).toBe(1);
  });

  describe('redaction', () => {
    it('removes the secret from the message and from every meta value, deeply', () => {
      const { logger, lines } = logTo({ secrets: [TOKEN, undefined] });
      const meta = {
        header: `Bearer ${TOKEN}`,
        nested: { list: ['ok', `x${TOKEN}y`], deeper: { url: new URL(`http://h/?t=${TOKEN}`) } },
        error: new Error(`refused ${TOKEN}`),
        [`key-${TOKEN}`]: 1,
      };
      logger.error(`calling with ${TOKEN}`, meta);
      expect(lines.length).toBe(1);
      expect(lines[0]).not.toContain(TOKEN);
      const entry = JSON.parse(lines[0]);
      expect(entry.message).toBe('calling with [REDACTED]');
      expect(entry.header).toBe('Bearer [REDACTED]');
      expect(entry.nested.list).toEqual(['ok', 'x[REDACTED]y']);
      expect(entry.nested.deeper.url).toBe('http://h/?t=[REDACTED]');
      expect(entry.error.message).toBe('refused [REDACTED]');
      expect(entry.error.stack).toContain('refused [REDACTED]');
      expect(entry['key-[REDACTED]']).toBe(1);
      // The caller's objects are left alone.
      expect(meta.nested.list[1]).toBe(`x${TOKEN}y`);
      expect(meta.error.message).toBe(`refused ${TOKEN}`);
    });

    it('redacts an Error logged as the entry itself, and pretty lines too', () => {
      const json = logTo({ secrets: [TOKEN] });
      json.logger.error(new Error(`boom ${TOKEN}`) as unknown as string);
      expect(JSON.parse(json.lines[0]).message).toBe('boom [REDACTED]');
      expect(json.lines[0]).not.toContain(TOKEN);

      const pretty = logTo({ secrets: [TOKEN], format: 'pretty' });
      pretty.logger.info(`token ${TOKEN}`, { deep: { value: TOKEN } });
      expect(pretty.lines[0]).toContain('token [REDACTED] deep={"value":"[REDACTED]"}');
      expect(pretty.lines[0]).not.toContain(TOKEN);
    });

    it('survives cycles', () => {
      const { logger, lines } = logTo({ secrets: [TOKEN] });
      const loop: Record<string, unknown> = { name: TOKEN };
      loop.self = loop;
      logger.info('cycle', { loop });
      expect(JSON.parse(lines[0]).loop).toEqual({ name: '[REDACTED]', self: '[Circular]' });
    });

    it('is a winston format usable in any winston logger', () => {
      const stream = sink();
      const own = winston.createLogger({
        format: winston.format.combine(redactFormat([TOKEN]), winston.format.simple()),
        transports: [new winston.transports.Stream({ stream })],
      });
      own.info(`simple ${TOKEN}`, { meta: [TOKEN] });
      expect(stream.lines.length).toBe(1);
      expect(stream.lines[0]).toContain('simple [REDACTED]');
      expect(stream.lines[0]).not.toContain(TOKEN);
    });
  });
});

describe('redactingLogger', () => {
  it('removes the secrets before any logger sees message or meta', () => {
    const seen: unknown[][] = [];
    const record = (level: string) => (message: string, meta?: Record<string, unknown>) =>
      seen.push(meta === undefined ? [level, message] : [level, message, meta]);
    const inner: Logger = {
      error: record('error'),
      warn: record('warn'),
      info: record('info'),
      debug: record('debug'),
    };
    const logger = redactingLogger(inner, [TOKEN]);
    logger.info(`a ${TOKEN}`);
    logger.debug('b', { auth: { header: `Bearer ${TOKEN}` }, actionId: '7' });
    expect(seen).toEqual([
      ['info', 'a [REDACTED]'],
      ['debug', 'b', { auth: { header: 'Bearer [REDACTED]' }, actionId: '7' }],
    ]);
  });

  it('hands back the logger itself when there is no secret', () => {
    expect(redactingLogger(console, [undefined, ''])).toBe(console);
  });
});
