import { FlyteModel } from '../../lib/testing/flyte-model.js';
import { ModelError } from '../../lib/testing/flyte-model-types.js';

const MINUTE = 60_000;

/** The ModelError status `f` throws (fails the spec when it does not throw one). */
function statusOf(f: () => unknown): number {
  try {
    f();
  } catch (e) {
    if (e instanceof ModelError) return e.status;
    throw e;
  }
  throw new Error('expected a ModelError');
}

describe('FlyteModel', () => {
  let clock: number;
  let model: FlyteModel;

  beforeEach(() => {
    clock = Date.parse('2024-05-01T10:00:00Z');
    model = new FlyteModel({ now: () => clock });
  });

  describe('registerPack', () => {
    it('derives the id from the name and the labels in sorted key order', () => {
      const pack = model.registerPack({ name: 'Slack', labels: { region: 'eu', env: 'prod' } });
      expect(pack.id).toBe('Slack.env.prod.region.eu');
      expect(model.registerPack({ name: 'Slack' }).id).toBe('Slack');
    });

    it('stores name, labels, a copy of the registration and lastSeen', () => {
      const body = {
        name: 'Slack',
        labels: { env: 'prod' },
        commands: [{ name: 'Send', events: ['Sent'] }],
      };
      const pack = model.registerPack(body);
      body.commands[0].name = 'changed afterwards';
      expect(pack.labels).toEqual({ env: 'prod' });
      expect(pack.registration.commands?.[0].name).toBe('Send');
      expect(pack.lastSeen).toBe('2024-05-01T10:00:00.000Z');
      expect(model.pack('Slack.env.prod')).toEqual(pack);
    });

    it('replaces a pack registered again with the same name and labels, keeping the id', () => {
      model.registerPack({ name: 'Slack', commands: [{ name: 'Old', events: [] }] });
      clock += MINUTE;
      const again = model.registerPack({ name: 'Slack', commands: [{ name: 'New', events: [] }] });
      expect(model.packs().length).toBe(1);
      expect(again.id).toBe('Slack');
      expect(model.pack('Slack')?.registration.commands?.map((c) => c.name)).toEqual(['New']);
      expect(model.pack('Slack')?.lastSeen).toBe('2024-05-01T10:01:00.000Z');
    });

    it('refuses (400) a body that is not an object or has no name', () => {
      for (const body of [null, [], 'Slack', 42, {}, { name: '' }, { name: 7 }]) {
        expect(statusOf(() => model.registerPack(body)))
          .withContext(JSON.stringify(body))
          .toBe(400);
      }
      expect(model.packs()).toEqual([]);
    });

    it('refuses (400) ill-typed labels, commands, events and links', () => {
      const bodies = [
        { name: 'P', labels: { env: 1 } },
        { name: 'P', commands: {} },
        { name: 'P', commands: [{ name: 'C', events: [1] }] },
        { name: 'P', events: [{}] },
        { name: 'P', links: [{ href: 'x' }] },
      ];
      for (const body of bodies) {
        expect(statusOf(() => model.registerPack(body)))
          .withContext(JSON.stringify(body))
          .toBe(400);
      }
    });

    it("refuses (400) pack links with the server's rels, even a rel merely containing up or self", () => {
      const rels = ['up', 'self', 'x/actionResult', 'x/takeAction', 'x/event', 'support'];
      for (const rel of rels) {
        const status = statusOf(() =>
          model.registerPack({ name: 'P', links: [{ href: 'h', rel }] }),
        );
        expect(status).withContext(rel).toBe(400);
      }
      expect(model.registerPack({ name: 'P', links: [{ href: 'h', rel: 'help' }] }).id).toBe('P');
    });
  });

  describe('packStatus', () => {
    it('is live under 10 minutes, warning under 24 hours, critical after', () => {
      model.registerPack({ name: 'P' });
      const at = (ms: number) => {
        clock = Date.parse('2024-05-01T10:00:00Z') + ms;
        return model.packStatus('P');
      };
      expect(at(10 * MINUTE - 1)).toBe('live');
      expect(at(10 * MINUTE)).toBe('warning');
      expect(at(24 * 60 * MINUTE - 1)).toBe('warning');
      expect(at(24 * 60 * MINUTE)).toBe('critical');
    });

    it('is a 404 for an unknown pack', () => {
      expect(statusOf(() => model.packStatus('nope'))).toBe(404);
    });
  });

  describe('enqueueAction', () => {
    it('creates a NEW action with its history', () => {
      const a = model.enqueueAction({ packName: 'P', command: 'C', input: { x: 1 } });
      expect(a).toEqual(
        jasmine.objectContaining({
          packName: 'P',
          packLabels: {},
          command: 'C',
          input: { x: 1 },
          state: 'NEW',
        }),
      );
      expect(a.history).toEqual([{ state: 'NEW', at: '2024-05-01T10:00:00.000Z' }]);
      expect(model.action(a.id)).toEqual(a);
    });

    it('refuses (400) an action without pack name or command', () => {
      expect(statusOf(() => model.enqueueAction({ packName: '', command: 'C' }))).toBe(400);
      expect(statusOf(() => model.enqueueAction({ packName: 'P' } as never))).toBe(400);
    });
  });

  describe('takeAction', () => {
    it('is a 404 for an unknown pack', () => {
      expect(statusOf(() => model.takeAction('nope'))).toBe(404);
    });

    it('answers null when nothing waits', () => {
      model.registerPack({ name: 'P' });
      expect(model.takeAction('P')).toBeNull();
    });

    it('hands out the oldest NEW action first, moving it to PENDING for this pack', () => {
      model.registerPack({ name: 'P' });
      const first = model.enqueueAction({ packName: 'P', command: 'C' });
      const second = model.enqueueAction({ packName: 'P', command: 'C' });
      const taken = model.takeAction('P');
      expect(taken?.id).toBe(first.id);
      expect(taken?.state).toBe('PENDING');
      expect(taken?.takenBy).toBe('P');
      expect(taken?.history.map((h) => h.state)).toEqual(['NEW', 'PENDING']);
      expect(model.takeAction('P')?.id).toBe(second.id);
      expect(model.takeAction('P')).toBeNull();
    });

    it('only hands out actions of its name whose labels are among its own', () => {
      model.registerPack({ name: 'P', labels: { env: 'prod', region: 'eu' } });
      model.registerPack({ name: 'P', labels: { env: 'dev' } });
      model.registerPack({ name: 'Q', labels: { env: 'prod' } });
      const a = model.enqueueAction({ packName: 'P', packLabels: { env: 'prod' }, command: 'C' });
      expect(model.takeAction('P.env.dev')).toBeNull();
      expect(model.takeAction('Q.env.prod')).toBeNull();
      expect(model.takeAction('P.env.prod.region.eu')?.id).toBe(a.id);
    });

    it('restricts to one command when actionName is given', () => {
      model.registerPack({ name: 'P' });
      model.enqueueAction({ packName: 'P', command: 'A' });
      const b = model.enqueueAction({ packName: 'P', command: 'B' });
      expect(model.takeAction('P', 'B')?.id).toBe(b.id);
      expect(model.takeAction('P', 'B')).toBeNull();
      expect(model.takeAction('P', '')?.command).toBe('A');
    });

    it('leaves skipped actions waiting, oldest first, and lists every action in creation order', () => {
      model.registerPack({ name: 'P' });
      const a1 = model.enqueueAction({ packName: 'P', command: 'A' });
      const a2 = model.enqueueAction({ packName: 'P', command: 'B' });
      const a3 = model.enqueueAction({ packName: 'Q', command: 'A' });
      const a4 = model.enqueueAction({ packName: 'P', command: 'A' });
      expect(model.takeAction('P', 'B')?.id).toBe(a2.id);
      expect(model.takeAction('P')?.id).toBe(a1.id);
      expect(model.takeAction('P')?.id).toBe(a4.id);
      expect(model.takeAction('P')).toBeNull();
      expect(model.actions().map((a) => [a.id, a.state])).toEqual([
        [a1.id, 'PENDING'],
        [a2.id, 'PENDING'],
        [a3.id, 'NEW'],
        [a4.id, 'PENDING'],
      ]);
      expect(model.action(a3.id)?.state).toBe('NEW');
    });

    it("refreshes the pack's lastSeen, with or without an action", () => {
      model.registerPack({ name: 'P' });
      clock += 11 * MINUTE;
      expect(model.takeAction('P')).toBeNull();
      expect(model.pack('P')?.lastSeen).toBe('2024-05-01T10:11:00.000Z');
      expect(model.packStatus('P')).toBe('live');
    });

    it('leaves snapshots handed out earlier untouched', () => {
      model.registerPack({ name: 'P' });
      const before = model.enqueueAction({ packName: 'P', command: 'C' });
      const list = model.actions();
      model.takeAction('P');
      expect(before.state).toBe('NEW');
      expect(list[0].state).toBe('NEW');
      expect(model.actions()[0].state).toBe('PENDING');
    });
  });

  describe('a take in two steps (nextAction, claimAction), as on a store with latency', () => {
    beforeEach(() => model.registerPack({ name: 'P' }));

    it('nextAction picks the candidate without taking it; claimAction takes it while NEW', () => {
      const a = model.enqueueAction({ packName: 'P', command: 'C' });
      expect(model.nextAction('P')?.id).toBe(a.id);
      expect(model.action(a.id)?.state).toBe('NEW');
      expect(model.claimAction('P', a.id)?.state).toBe('PENDING');
      expect(model.action(a.id)?.takenBy).toBe('P');
    });

    it('two reads of one candidate: the second claim matches nothing and changes nothing', () => {
      const a = model.enqueueAction({ packName: 'P', command: 'C' });
      const [first, second] = [model.nextAction('P'), model.nextAction('P')];
      expect(second?.id).toBe(first?.id);
      expect(model.claimAction('P', first!.id)).not.toBeNull();
      const before = model.action(a.id);
      expect(model.claimAction('P', second!.id)).toBeNull();
      expect(model.action(a.id)).toBe(before);
    });

    it("claimAction refuses another pack's action and is a 404 for an unknown pack", () => {
      model.registerPack({ name: 'Q' });
      const a = model.enqueueAction({ packName: 'P', command: 'C' });
      expect(model.claimAction('Q', a.id)).toBeNull();
      expect(statusOf(() => model.claimAction('nope', a.id))).toBe(404);
      expect(statusOf(() => model.nextAction('nope'))).toBe(404);
    });

    it('checkCompletion runs the checks of completeAction and changes nothing', () => {
      const a = model.enqueueAction({ packName: 'P', command: 'C' });
      expect(statusOf(() => model.checkCompletion('P', a.id, { event: 'Done' }))).toBe(500);
      model.takeAction('P');
      expect(() => model.checkCompletion('P', a.id, { event: 'Done' })).not.toThrow();
      expect(model.action(a.id)?.state).toBe('PENDING');
      expect(statusOf(() => model.checkCompletion('P', 'action-999', { event: 'E' }))).toBe(404);
    });
  });

  describe('completeAction', () => {
    let actionId: string;

    beforeEach(() => {
      model.registerPack({ name: 'P' });
      model.enqueueAction({ packName: 'P', command: 'C' });
      actionId = model.takeAction('P')!.id;
    });

    it('completes a PENDING action with SUCCESS and the result', () => {
      clock += MINUTE;
      const done = model.completeAction('P', actionId, { event: 'Done', payload: { ok: true } });
      expect(done.state).toBe('SUCCESS');
      expect(done.result).toEqual({
        event: 'Done',
        payload: { ok: true },
        createdAt: '2024-05-01T10:01:00.000Z',
      });
      expect(done.history.map((h) => h.state)).toEqual(['NEW', 'PENDING', 'SUCCESS']);
      expect(model.pack('P')?.lastSeen).toBe('2024-05-01T10:01:00.000Z');
    });

    it('keeps the createdAt the pack sent', () => {
      const done = model.completeAction('P', actionId, {
        event: 'Done',
        createdAt: '2024-04-30T08:00:00+02:00',
      });
      expect(done.result?.createdAt).toBe('2024-04-30T08:00:00+02:00');
    });

    it('marks the action FATAL when the event is named exactly FATAL', () => {
      expect(model.completeAction('P', actionId, { event: 'FATAL', payload: 'boom' }).state).toBe(
        'FATAL',
      );
    });

    it('is a 500 when the action is not PENDING (already completed, or never taken)', () => {
      model.completeAction('P', actionId, { event: 'Done' });
      expect(statusOf(() => model.completeAction('P', actionId, { event: 'Done' }))).toBe(500);
      const fresh = model.enqueueAction({ packName: 'P', command: 'C' });
      expect(statusOf(() => model.completeAction('P', fresh.id, { event: 'Done' }))).toBe(500);
      expect(model.action(actionId)?.result?.event).toBe('Done');
    });

    it("is a 404 for an unknown pack, an unknown action or another pack's action", () => {
      model.registerPack({ name: 'Other' });
      expect(statusOf(() => model.completeAction('nope', actionId, { event: 'E' }))).toBe(404);
      expect(statusOf(() => model.completeAction('P', 'action-999', { event: 'E' }))).toBe(404);
      expect(statusOf(() => model.completeAction('Other', actionId, { event: 'E' }))).toBe(404);
      expect(model.action(actionId)?.state).toBe('PENDING');
    });

    it('is a 400 for an event without a name or with a createdAt that is not RFC 3339', () => {
      expect(statusOf(() => model.completeAction('P', actionId, {} as never))).toBe(400);
      expect(
        statusOf(() => model.completeAction('P', actionId, { event: 'E', createdAt: 'yesterday' })),
      ).toBe(400);
      expect(model.action(actionId)?.state).toBe('PENDING');
    });
  });

  describe('postEvent', () => {
    it('records the event with the receive time as createdAt by default, and refreshes lastSeen', () => {
      model.registerPack({ name: 'P', labels: { env: 'prod' } });
      clock += MINUTE;
      const e = model.postEvent('P.env.prod', { event: 'Seen', payload: [1] });
      expect(e).toEqual({
        packId: 'P.env.prod',
        packName: 'P',
        event: 'Seen',
        payload: [1],
        createdAt: '2024-05-01T10:01:00.000Z',
        receivedAt: '2024-05-01T10:01:00.000Z',
      });
      expect(model.events()).toEqual([e]);
      expect(model.pack('P.env.prod')?.lastSeen).toBe('2024-05-01T10:01:00.000Z');
    });

    it('is a 404 for an unknown pack and a 400 for a bad event', () => {
      model.registerPack({ name: 'P' });
      expect(statusOf(() => model.postEvent('nope', { event: 'E' }))).toBe(404);
      expect(statusOf(() => model.postEvent('P', { event: '' }))).toBe(400);
      expect(model.events()).toEqual([]);
    });
  });

  describe('onChange and waitFor', () => {
    it('calls listeners after every change until unsubscribed', () => {
      let calls = 0;
      const off = model.onChange(() => calls++);
      model.registerPack({ name: 'P' });
      model.enqueueAction({ packName: 'P', command: 'C' });
      expect(calls).toBe(2);
      off();
      model.reset();
      expect(calls).toBe(2);
    });

    it('resolves at once when the predicate already holds', async () => {
      await expectAsync(model.waitFor(() => true)).toBeResolved();
    });

    it('resolves after the change that makes the predicate hold, and not before', async () => {
      model.registerPack({ name: 'P' });
      let resolved = false;
      const waiting = model.waitFor((m) => m.events().length === 1).then(() => (resolved = true));
      await Promise.resolve();
      expect(resolved).toBeFalse();
      model.postEvent('P', { event: 'E' });
      await waiting;
      expect(resolved).toBeTrue();
    });

    it('rejects when the predicate throws or the signal aborts', async () => {
      await expectAsync(
        model.waitFor(() => {
          throw new Error('bad predicate');
        }),
      ).toBeRejectedWithError('bad predicate');
      const controller = new AbortController();
      const waiting = model.waitFor(() => false, { signal: controller.signal });
      controller.abort(new Error('gave up'));
      await expectAsync(waiting).toBeRejectedWithError('gave up');
    });
  });

  it('reset forgets everything but never reuses action ids', () => {
    model.registerPack({ name: 'P' });
    const before = model.enqueueAction({ packName: 'P', command: 'C' });
    model.postEvent('P', { event: 'E' });
    model.reset();
    expect(model.packs()).toEqual([]);
    expect(model.actions()).toEqual([]);
    expect(model.events()).toEqual([]);
    expect(model.enqueueAction({ packName: 'P', command: 'C' }).id).not.toBe(before.id);
  });

  it('reset also forgets the actions waiting to be taken', () => {
    model.registerPack({ name: 'P' });
    model.enqueueAction({ packName: 'P', command: 'C' });
    model.reset();
    model.registerPack({ name: 'P' });
    expect(model.takeAction('P')).toBeNull();
    expect(model.actions()).toEqual([]);
  });
});
