import { filter, firstValueFrom, timeout } from 'rxjs';
import type { DeliveryReceipt } from '../../../lib/model/delivered.js';
import type { Logger } from '../../../lib/model/logger.js';
import type { ActionResult } from '../../../lib/model/outcomes.js';
import type { HandlerContext } from '../../../lib/model/definitions.js';
import { Pack } from '../../../lib/pack/pack.js';
import type { FakeFlyteServer } from '../../../lib/testing/fake-flyte-server.js';
import { takeAndVanish } from '../../../lib/testing/take-and-vanish.js';
import {
  countingPack,
  fastOptions,
  type RunCounts,
  startServer,
  strandedTakes,
  within,
} from './support.js';

/** A logger that keeps every line, to count warnings. */
function recordingLogger(): Logger & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const at =
    (level: string) =>
    (message: string): void =>
      void lines.push({ level, message });
  return { lines, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

const recoverFast = { after: 1000, every: 300 };

/**
 * Resolves at the first take of `pack` that ends `ms` after now: proof that the pack ran,
 * polling, for that long (a scan would have come in that time). Rejects when no such take
 * comes within `ms` + 4 s: a pack that stopped polling fails the spec instead of passing it.
 */
const pollingFor = (pack: Pack, ms: number): Promise<unknown> => {
  const since = Date.now();
  return firstValueFrom(
    pack.polls$.pipe(
      filter((outcome) => outcome.time >= since + ms),
      timeout({ first: ms + 4000 }),
    ),
  );
};
const auditRequests = (server: FakeFlyteServer) =>
  server.requests().filter((r) => r.endpoint === 'audit');

describe('recovering stranded actions (integration, over real HTTP)', () => {
  let server: FakeFlyteServer;
  let runs: RunCounts;
  const packs: Pack[] = [];
  const newPack = (pack: Pack): Pack => (packs.push(pack), pack);

  beforeEach(async () => {
    server = await startServer();
    runs = new Map();
  });

  afterEach(async () => {
    await Promise.all(packs.splice(0).map((p) => p.stop({ grace: 500, flushDeadline: 500 })));
    await server.close();
  });

  it('finishes an action whose take answer was dropped after the server acted: recovered after `after`, SUCCESS', async () => {
    const contexts: HandlerContext[] = [];
    const def = countingPack('counting-pack', runs, (_input, _signal, context) => {
      contexts.push(context);
      return Promise.resolve();
    });
    const logger = recordingLogger();
    const pack = newPack(new Pack(def, fastOptions(server, { recovery: recoverFast, logger })));
    const results: ActionResult[] = [];
    pack.results$.subscribe((r) => results.push(r));
    server.setFaults({ dropRate: 1, dropWhen: 'after', endpoints: ['take'] });
    const action = server.enqueueAction({
      packName: 'counting-pack',
      command: 'Count',
      input: 'lost',
    });
    await pack.start();
    await server.waitFor((s) => strandedTakes(s) === 1, within());
    server.clearFaults();
    expect(server.action(action.id)?.state).toBe('PENDING');

    await server.waitForResults(1, within(6000));

    const done = server.action(action.id)!;
    expect(done.state).toBe('SUCCESS');
    expect(done.result?.event).toBe('Counted');
    const pendingAt = Date.parse(done.history.find((h) => h.state === 'PENDING')!.at);
    const doneAt = Date.parse(done.history[done.history.length - 1]!.at);
    expect(doneAt - pendingAt).toBeGreaterThanOrEqual(recoverFast.after);
    expect(runs.get('lost')).toBe(1);
    expect(results.length).toBe(1);
    expect(results[0]!.recovered).toBeTrue();
    expect(results[0]!.action.id).toBe(action.id);
    expect(contexts[0]!.recovered).toBeTrue();
    expect(contexts[0]!.strandedFor).toBeGreaterThanOrEqual(recoverFast.after);
    const line = logger.lines.find((l) => l.message.startsWith(`recovering action ${action.id}`));
    expect(line?.message).toMatch(/\(command "Count"\), stranded PENDING for \d+ s$/);
  });

  it('never recovers its own action while its handler runs longer than `after`', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const pack = newPack(
      new Pack(
        countingPack('counting-pack', runs, () => held),
        fastOptions(server, { recovery: recoverFast }),
      ),
    );
    const results: ActionResult[] = [];
    pack.results$.subscribe((r) => results.push(r));
    await pack.start();
    const action = server.enqueueAction({
      packName: 'counting-pack',
      command: 'Count',
      input: 'slow',
    });
    await server.waitFor((s) => s.action(action.id)?.state === 'PENDING', within());
    // Several scans see it PENDING for longer than `after`.
    const scans = auditRequests(server).length;
    await server.waitFor((s) => auditRequests(s).length >= scans + 6, within(5000));
    release();
    await server.waitForResults(1, within());

    expect(runs.get('slow')).toBe(1);
    expect(results.map((r) => r.recovered)).toEqual([undefined]);
  });

  it('two packs recovering the same action: the first result wins, the other reports "recovered elsewhere", nothing lost', async () => {
    // Both handlers start before either answers, so both deliver.
    let bothRunning: () => void = () => undefined;
    const both = new Promise<void>((resolve) => (bothRunning = resolve));
    const hold = () => {
      if ([...runs.values()].reduce((a, b) => a + b, 0) >= 2) bothRunning();
      return both;
    };
    const errors: unknown[] = [];
    const receipts: DeliveryReceipt[] = [];
    const results: ActionResult[] = [];
    for (let i = 0; i < 2; i++) {
      const pack = newPack(
        new Pack(
          countingPack('counting-pack', runs, hold),
          fastOptions(server, { recovery: recoverFast }),
        ),
      );
      pack.errors$.subscribe((e) => errors.push(e));
      pack.delivered$.subscribe((r) => receipts.push(r));
      pack.results$.subscribe((r) => results.push(r));
    }
    const action = server.enqueueAction({
      packName: 'counting-pack',
      command: 'Count',
      input: 'twice',
    });
    const taken = await takeAndVanish(server.url, { name: 'counting-pack' });
    expect(taken?.id).toBe(action.id);
    await Promise.all(packs.map((p) => p.start()));

    const elsewhere = () => receipts.filter((r) => r.end === 'recovered-elsewhere');
    await server.waitFor(() => elsewhere().length > 0, within(6000));

    expect(server.action(action.id)?.state).toBe('SUCCESS');
    expect(runs.get('twice')).toBe(2);
    expect(results.map((r) => r.recovered)).toEqual([true, true]);
    expect(elsewhere().map((r) => r.actionId)).toEqual([action.id]);
    expect(receipts.map((r) => r.end).sort()).toEqual(['delivered', 'recovered-elsewhere']);
    expect(errors).toEqual([]);
    const results500 = server.requests().filter((r) => r.endpoint === 'result' && r.status === 500);
    expect(results500.length).toBe(1);
  });

  it('a 403 on the audit: one warning, recovery off, the pack goes on', async () => {
    const logger = recordingLogger();
    server.setFaults({ errorRate: 1, errorStatus: 403, endpoints: ['audit'] });
    const pack = newPack(
      new Pack(
        countingPack('counting-pack', runs),
        fastOptions(server, { recovery: recoverFast, logger }),
      ),
    );
    await pack.start();
    await server.waitFor((s) => auditRequests(s).length === 1, within());
    const action = server.enqueueAction({
      packName: 'counting-pack',
      command: 'Count',
      input: 'on',
    });
    await server.waitForResults(1, within());
    // Several scan periods later, the pack polling all along: still the one audit request.
    await pollingFor(pack, 4 * recoverFast.every);

    expect(server.action(action.id)?.state).toBe('SUCCESS');
    expect(auditRequests(server).map((r) => r.status)).toEqual([403]);
    const off = logger.lines.filter((l) =>
      l.message.includes('recovery of stranded actions is off'),
    );
    expect(off.length).toBe(1);
    expect(off[0]!.level).toBe('warn');
    expect(off[0]!.message).toContain('403');
  });

  it('with recovery off, nothing reads the audit, even with a stranded action', async () => {
    server.enqueueAction({ packName: 'counting-pack', command: 'Count', input: 'stranded' });
    await takeAndVanish(server.url, { name: 'counting-pack' });
    const pack = newPack(new Pack(countingPack('counting-pack', runs), fastOptions(server)));
    await pack.start();
    server.enqueueAction({ packName: 'counting-pack', command: 'Count', input: 'live' });
    await server.waitForResults(1, within());
    await pollingFor(pack, 4 * recoverFast.every); // several scan periods, the pack polling

    expect(server.requests().length).toBeGreaterThan(0);
    expect(auditRequests(server)).toEqual([]);
    expect(runs.get('stranded')).toBeUndefined();
  });
});
