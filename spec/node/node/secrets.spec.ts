import { Writable } from 'node:stream';
import type { Logger } from '../../../lib/model/logger.js';
import { startHealthServer } from '../../../lib/node/health-server.js';
import { createLogger } from '../../../lib/node/winston-logger.js';
import { redactingLogger } from '../../../lib/node/redacting-logger.js';
import { rememberTokens, SecretSet, secretsNow } from '../../../lib/node/secrets.js';

const FIXED = 'fixed.jwt.value';
const ISSUED = 'issued.jwt.value';

describe('SecretSet', () => {
  it('keeps the fixed secrets and the last few added ones, ignoring empty and repeated values', () => {
    const secrets = new SecretSet([FIXED, undefined, ''], 2);
    ['a', '', undefined, 'a', FIXED, 'b', 'c'].forEach((s) => secrets.add(s));
    expect([...secrets]).toEqual([FIXED, 'b', 'c']);
    expect(secretsNow(['x', undefined, ''])).toEqual(['x']);
  });

  it('remembers every token a provider issues, and a fixed token at once', async () => {
    const secrets = new SecretSet();
    const tokens = ['one', 'two'];
    const provider = rememberTokens(() => tokens.shift()!, secrets) as () => Promise<string>;
    expect([...secrets]).toEqual([]);
    expect(await provider()).toBe('one');
    expect(await provider()).toBe('two');
    expect([...secrets]).toEqual(['one', 'two']);

    expect(rememberTokens(FIXED, secrets)).toBe(FIXED);
    expect([...secrets]).toContain(FIXED);
    await expectAsync(
      (rememberTokens(() => Promise.reject(new Error('no')), secrets) as () => Promise<string>)(),
    ).toBeRejectedWithError('no');
  });
});

describe('a live SecretSet', () => {
  it('keeps a secret added after createLogger out of its lines', () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const secrets = new SecretSet([FIXED]);
    const logger = createLogger({ format: 'json', secrets, stream });
    secrets.add(ISSUED);
    logger.info(`calling with ${ISSUED}`, { auth: `Bearer ${ISSUED}`, fixed: FIXED });
    expect(lines.length).toBe(1);
    expect(lines[0]).not.toContain(ISSUED);
    expect(lines[0]).not.toContain(FIXED);
    expect(JSON.parse(lines[0]).auth).toBe('Bearer [REDACTED]');
  });

  it('keeps a secret added after redactingLogger from the wrapped logger', () => {
    const seen: unknown[] = [];
    const record = (message: string, meta?: Record<string, unknown>) =>
      void seen.push([message, meta]);
    const inner: Logger = { error: record, warn: record, info: record, debug: record };
    const secrets = new SecretSet();
    const logger = redactingLogger(inner, secrets);
    secrets.add(ISSUED);
    logger.warn(`leak ${ISSUED}`, { nested: { token: ISSUED } });
    expect(seen).toEqual([['leak [REDACTED]', { nested: { token: '[REDACTED]' } }]]);
  });

  it('keeps a secret added after the health server started out of its answer', async () => {
    const secrets = new SecretSet();
    const server = await startHealthServer({
      checks: [{ name: 'Leaky', check: () => ({ healthy: true, status: `using ${ISSUED}` }) }],
      host: '127.0.0.1',
      port: 0,
      secrets,
    });
    try {
      secrets.add(ISSUED);
      const body = await (await fetch(`${server.url}/health`)).text();
      expect(body).not.toContain(ISSUED);
      expect(JSON.parse(body).Leaky.status).toBe('using [REDACTED]');
    } finally {
      await server.close();
    }
  });
});
