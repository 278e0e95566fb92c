// Issue 21, finding 3: pino takes (object, message), the SDK logs (message, meta). These
// specs run the real pino (and the real winston) behind runPack and read the lines written.
// Each `@ts-expect-error` below fails `make typecheck` if the line it marks ever compiles.
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import winston from 'winston';
import type { Logger } from '../../../lib/model/logger.js';
import type { PackDef } from '../../../lib/model/definitions.js';
import { pinoLogger } from '../../../lib/model/pino-logger.js';
import { runPack } from '../../../lib/node/run-pack.js';
import type { RunningPack, RunPackOptions } from '../../../lib/node/run-pack-options.js';
import { fakeServerRig } from '../../support/fake-server-rig.js';

const TOKEN = 'pino.spec.token';

/** A stream that keeps the JSON lines written to it. */
function lines(): Writable & { entries: () => Array<Record<string, unknown>> } {
  const written: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      written.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return Object.assign(stream, {
    entries: () => written.map((l) => JSON.parse(l) as Record<string, unknown>),
  });
}

const def: PackDef = {
  name: 'logged-pack',
  commands: [
    {
      name: 'Rota',
      outputEvents: [{ name: 'RotaRetrieved' }],
      handler: () => {
        throw new Error(`the rota service is down (token ${TOKEN})`);
      },
    },
  ],
};

describe('logging through pino and winston (issue 21, finding 3)', () => {
  const rig = fakeServerRig<RunningPack>();

  /** Runs the pack until one action has failed, and returns the line saying so. */
  async function failedActionLine(
    logger: RunPackOptions['logger'],
    out: ReturnType<typeof lines>,
  ): Promise<{ line: Record<string, unknown>; actionId: string }> {
    rig.running = await runPack(def, {
      env: { FLYTE_API: rig.server.url, FLYTE_JWT: TOKEN },
      config: { healthPort: null },
      logger,
      signalSource: new EventEmitter(),
      exit: () => undefined,
    });
    const action = rig.server.enqueueAction({ packName: def.name, command: 'Rota' });
    await rig.server.waitForResults(1);
    const line = out.entries().find((e) => /failed$/.test(String(e['msg'] ?? e['message'])));
    expect(line).withContext('the line about the failed action').toBeDefined();
    return { line: line!, actionId: action.id };
  }

  it('a pino logger wrapped with pinoLogger gets the action id, command and reason as fields', async () => {
    const out = lines();
    const { line, actionId } = await failedActionLine(pinoLogger(pino(out)), out);
    expect(line).toEqual(
      jasmine.objectContaining({
        level: 40,
        msg: `action ${actionId} of command "Rota" failed`,
        actionId,
        command: 'Rota',
        reason: 'threw',
        payload: jasmine.objectContaining({ reason: 'threw' }),
      }),
    );
    expect(JSON.stringify(out.entries())).not.toContain(TOKEN);
  });

  it('a pino logger passed as it is (from JavaScript) keeps its fields too', async () => {
    const out = lines();
    const { line, actionId } = await failedActionLine(pino(out) as unknown as Logger, out);
    expect(line).toEqual(
      jasmine.objectContaining({
        msg: `action ${actionId} of command "Rota" failed`,
        actionId,
        reason: 'threw',
      }),
    );
    expect((line['payload'] as { reason?: string }).reason).toBe('threw');
  });

  it('a winston logger of your own keeps the fields', async () => {
    const out = lines();
    const logger = winston.createLogger({
      format: winston.format.json(),
      transports: [new winston.transports.Stream({ stream: out })],
    });
    const { line, actionId } = await failedActionLine(logger, out);
    expect(line).toEqual(
      jasmine.objectContaining({
        level: 'warn',
        message: `action ${actionId} of command "Rota" failed`,
        actionId,
        command: 'Rota',
        reason: 'threw',
        payload: jasmine.objectContaining({ reason: 'threw' }),
      }),
    );
    expect(JSON.stringify(out.entries())).not.toContain(TOKEN);
  });

  it('pinoLogger keeps an error given as meta, which pino would write as {}', () => {
    const out = lines();
    pinoLogger(pino(out)).error('health endpoint failed', { error: new Error('boom') });
    const [line] = out.entries();
    expect(line).toEqual(
      jasmine.objectContaining({
        msg: 'health endpoint failed',
        error: jasmine.objectContaining({ type: 'Error', message: 'boom' }),
      }),
    );
  });

  it('at compile time, refuses a pino logger where a Logger goes', () => {
    const raw = pino(lines());
    // @ts-expect-error -- pino takes (object, message): wrap it with pinoLogger(raw)
    const asLogger: Logger = raw;
    const options: RunPackOptions = {
      // @ts-expect-error -- the same for runPack's options
      logger: raw,
    };
    const wrapped: Logger = pinoLogger(raw);
    expect(asLogger === (raw as unknown) && options.logger === (raw as unknown)).toBeTrue();
    expect(typeof wrapped.warn).toBe('function');
  });
});
