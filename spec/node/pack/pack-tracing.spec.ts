import {
  context,
  type HrTime,
  ProxyTracer,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { filter, firstValueFrom } from 'rxjs';
import type { FlyteEvent } from '../../../lib/model/definitions.js';
import { loadOpenTelemetryApi } from '../../../lib/pack/opentelemetry-api.js';
import type { Logger } from '../../../lib/model/logger.js';
import { Pack } from '../../../lib/pack/pack.js';
import {
  PackTracing,
  RETRY_SPAN_EVENT,
  SPAN_ATTRIBUTES as A,
  spanTime,
} from '../../../lib/pack/pack-tracing.js';
import { InMemoryFlyteApi } from '../../../lib/testing/in-memory-flyte-api.js';
import packageJson from '../../../package.json' with { type: 'json' };
import { packRig, rotaPack, rotaRetrieved, seen, slowRota } from '../../pack/pack-fixtures.js';

/** A tracer provider whose finished spans are kept in memory. */
function inMemoryTracing() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  return { provider, spans: (): ReadableSpan[] => exporter.getFinishedSpans() };
}

const ms = ([seconds, nanos]: HrTime) => seconds * 1000 + nanos / 1e6;
const ann: FlyteEvent<{ who: string }> = { eventDef: seen, payload: { who: 'Ann' } };
const instant = () => rotaPack(() => ({ eventDef: rotaRetrieved, payload: 'Ann' }));

describe('Pack tracing (OpenTelemetry)', () => {
  // A pack loads the API before it registers when it has spans to make; loaded here first,
  // the marble runs below stay synchronous.
  beforeAll(() => loadOpenTelemetryApi());

  it('makes one span per action, from its take to its delivery, with what happened', () => {
    const { provider, spans } = inMemoryTracing();
    const rig = packRig((s) => rotaPack(slowRota(30, s)), { tracing: provider }, { take: 5 });
    const { scheduler, api, pack, timed, enqueue } = rig;
    api.failNext('complete', 503);
    const polls = timed(pack.polls$.pipe(filter((p) => p.kind === 'action')));
    scheduler.run(() => {
      void pack.start();
      enqueue(100);
      scheduler.schedule(() => void pack.stop(), 12_000);
    });
    const [[, poll]] = polls;
    const [first, second] = api.timesOf('complete');
    expect(spans().length).toBe(1);
    const [span] = spans();
    expect(span.name).toBe('flyte.action Rota');
    expect(span.kind).toBe(SpanKind.CONSUMER);
    expect(span.instrumentationScope.name).toBe('flyte-client');
    expect(span.instrumentationScope.version).toBe(packageJson.version);
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.attributes).toEqual({
      [A.packName]: 'rota-pack',
      [A.actionId]: poll.action?.id,
      [A.command]: 'Rota',
      [A.recovered]: false,
      [A.takeMs]: 5,
      [A.outcome]: 'success',
      [A.resultEvent]: 'RotaRetrieved',
      [A.handlerMs]: 30,
      [A.handlerAttempts]: 1,
      [A.attempts]: 2,
      [A.deliveryMs]: second - first,
      [A.inferred]: false,
      [A.end]: 'delivered',
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    // From the start of the take to the acceptance of the second post, on the pack's clock.
    expect(ms(span.duration)).toBeCloseTo(second - (poll.time - 5), 3);
  });

  it('adds a retry event to the span each time the handler runs again, when the run failed', () => {
    const { provider, spans } = inMemoryTracing();
    let runs = 0;
    const flaky = () => {
      if (++runs < 3) throw new Error(`rota API down #${runs}`);
      return { eventDef: rotaRetrieved, payload: 'Ann' };
    };
    const retry = { attempts: 3, backoff: { initialDelay: 100 } };
    const { scheduler, pack, model } = packRig(() => ({ ...rotaPack(flaky), retry }), {
      tracing: provider,
    });
    model.enqueueAction({ packName: 'rota-pack', command: 'Rota', input: {} }); // taken at 0
    scheduler.run(() => {
      void pack.start();
      scheduler.schedule(() => void pack.stop(), 5000);
    });
    const [span] = spans();
    expect(span?.attributes[A.handlerAttempts]).toBe(3);
    expect(span?.attributes[A.handlerMs]).toBe(300);
    expect(span?.events.map((e) => [e.name, ms(e.time), e.attributes])).toEqual([
      [
        RETRY_SPAN_EVENT,
        0,
        {
          [A.handlerAttempts]: 1,
          [A.retryReason]: 'threw',
          [A.retryDelayMs]: 100,
          'exception.message': 'rota API down #1',
        },
      ],
      [
        RETRY_SPAN_EVENT,
        100,
        {
          [A.handlerAttempts]: 2,
          [A.retryReason]: 'threw',
          [A.retryDelayMs]: 200,
          'exception.message': 'rota API down #2',
        },
      ],
    ]);
  });

  it('gives the SDK scheduler times as [seconds, nanoseconds], which it cannot misread', () => {
    expect(spanTime(1500.25)).toEqual([1, 500_250_000]);
    expect(spanTime(0)).toEqual([0, 0]);
    expect(spanTime(1_764_000_000_123)).toEqual([1_764_000_000, 123_000_000]);
  });

  it('times a span on the scheduler clock even when it ends later than the process is old', () => {
    // The SDK reads a number below its performance.now() as relative and one above as epoch
    // ms: a span from 0 to 200 000 virtual ms crosses that line in any process younger than
    // 200 s.
    const { provider, spans } = inMemoryTracing();
    const { scheduler, pack, model } = packRig((s) => rotaPack(slowRota(200_000, s)), {
      tracing: provider,
    });
    model.enqueueAction({ packName: 'rota-pack', command: 'Rota', input: {} }); // taken at 0
    scheduler.run(() => {
      void pack.start();
      scheduler.schedule(() => void pack.stop(), 250_000);
    });
    const [span] = spans();
    expect(ms(span!.duration)).toBeCloseTo(200_000, 3);
    expect(ms(span!.endTime) - ms(span!.startTime)).toBeCloseTo(200_000, 3);
  });

  it('flags the span of a recovered action, which starts when the action is found', () => {
    const { provider, spans } = inMemoryTracing();
    const { scheduler, pack, model, timed } = packRig((sch) => rotaPack(slowRota(30, sch)), {
      tracing: provider,
      recovery: { after: 1000, every: 1000 },
    });
    const actions = timed(pack.actions$);
    const delivered = timed(pack.delivered$);
    scheduler.run(() => {
      // Another client took the action and vanished: it stays PENDING.
      model.registerPack({ name: 'rota-pack' });
      model.enqueueAction({ packName: 'rota-pack', command: 'Rota', input: 'lost' });
      model.takeAction('rota-pack');
      void pack.start();
      scheduler.schedule(() => void pack.stop(), 5000);
    });
    const [[foundAt, action]] = actions;
    expect(action.recovered).toBeDefined();
    const [span] = spans();
    expect(span.attributes[A.actionId]).toBe(action.id);
    expect(span.attributes[A.recovered]).toBe(true);
    expect(span.attributes[A.takeMs]).toBeUndefined();
    expect(span.attributes[A.outcome]).toBe('success');
    const [[acceptedAt]] = delivered;
    expect(acceptedAt - foundAt).toBe(30); // the handler's 30 ms; the in-memory posts take none
    expect(ms(span.duration)).toBeCloseTo(30, 3);
    expect(spans().length).toBe(1);
  });

  it('marks the span of a FATAL action as an error, with the reason', () => {
    const { provider, spans } = inMemoryTracing();
    const failing = rotaPack(() => {
      throw new Error('no rota today');
    });
    const { scheduler, pack, enqueue } = packRig(() => failing, { tracing: provider });
    scheduler.run(() => {
      void pack.start();
      enqueue(100);
      scheduler.schedule(() => void pack.stop(), 12_000);
    });
    const [span] = spans();
    expect(span.attributes[A.outcome]).toBe('fatal');
    expect(span.attributes[A.resultEvent]).toBe('FATAL');
    expect(span.attributes[A.fatalReason]).toBe('threw');
    expect(span.attributes[A.attempts]).toBe(1);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.status.message).toMatch(/no rota today/);
  });

  it('marks the span of a result given up (the pack stopped first) as an error, with the exception', () => {
    const { provider, spans } = inMemoryTracing();
    const { scheduler, api, pack, enqueue } = packRig(instant, { tracing: provider });
    api.onCall(({ method }) => (method === 'complete' ? 503 : undefined));
    scheduler.run(() => {
      void pack.start();
      enqueue(100);
      scheduler.schedule(() => void pack.stop({ flushDeadline: 1000 }), 12_000);
    });
    const [span] = spans();
    expect(span.attributes[A.outcome]).toBe('success');
    expect(span.attributes[A.givenUp]).toBe(true);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.status.message).toMatch(/the pack stopped before the result "RotaRetrieved"/);
    expect(span.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('marks a result the server refused and answered with FATAL', () => {
    const { provider, spans } = inMemoryTracing();
    const { scheduler, api, pack, enqueue } = packRig(instant, { tracing: provider });
    api.failNext('complete', 422);
    scheduler.run(() => {
      void pack.start();
      enqueue(100);
      scheduler.schedule(() => void pack.stop(), 12_000);
    });
    const [span] = spans();
    expect(span.attributes[A.replacedByFatal]).toBe(true);
    expect(span.attributes[A.attempts]).toBe(2);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('makes one span per spontaneous event, with its name and posts; an error when given up', async () => {
    const { provider, spans } = inMemoryTracing();
    const { scheduler, api, pack } = packRig(instant, { tracing: provider });
    api.failNext('event', 503);
    scheduler.run(() => {
      void pack.start();
      scheduler.schedule(() => void pack.sendEvent(ann), 100);
      scheduler.schedule(() => {
        api.failNext('event', 400);
        pack.sendEvent(ann).catch(() => undefined);
      }, 2000);
      scheduler.schedule(() => void pack.stop(), 3000);
    });
    await Promise.resolve();
    const [accepted, refused] = spans();
    expect(accepted.name).toBe('flyte.event Seen');
    expect(accepted.kind).toBe(SpanKind.PRODUCER);
    expect(accepted.attributes).toEqual({
      [A.packName]: 'rota-pack',
      [A.eventName]: 'Seen',
      [A.attempts]: 2,
      [A.deliveryMs]: 500,
      [A.inferred]: false,
      [A.end]: 'delivered',
    });
    expect(ms(accepted.duration)).toBeCloseTo(500, 3);
    expect(accepted.status.code).toBe(SpanStatusCode.UNSET);
    expect(refused.name).toBe('flyte.event Seen');
    expect(refused.attributes[A.givenUp]).toBe(true);
    expect(refused.status.code).toBe(SpanStatusCode.ERROR);
    expect(refused.status.message).toMatch(/refused the event "Seen"/);
    expect(spans().length).toBe(2);
  });

  describe('with the global tracer provider', () => {
    afterEach(() => trace.disable());

    it('uses it by default, and makes no span with `tracing: false`', () => {
      const { provider, spans } = inMemoryTracing();
      trace.setGlobalTracerProvider(provider);
      for (const tracing of [undefined, false] as const) {
        const { scheduler, pack, enqueue } = packRig(instant, { tracing });
        scheduler.run(() => {
          void pack.start();
          enqueue(100);
          scheduler.schedule(() => void pack.sendEvent(ann), 200);
          scheduler.schedule(() => void pack.stop(), 12_000);
        });
      }
      expect(spans().map((s) => s.name)).toEqual(['flyte.event Seen', 'flyte.action Rota']);
    });

    it('makes no span while none is registered, and traces the actions taken once one is', () => {
      const startSpan = spyOn(ProxyTracer.prototype, 'startSpan').and.callThrough();
      const { provider, spans } = inMemoryTracing();
      const { scheduler, pack, enqueue } = packRig(instant);
      scheduler.run(() => {
        void pack.start();
        enqueue(100);
        scheduler.schedule(() => void pack.sendEvent(ann), 200);
        scheduler.schedule(() => {
          expect(startSpan).not.toHaveBeenCalled(); // no per-action span work without a provider
          trace.setGlobalTracerProvider(provider);
        }, 1_000);
        enqueue(2_000);
        scheduler.schedule(() => void pack.sendEvent(ann), 3_000);
        scheduler.schedule(() => void pack.stop(), 12_000);
      });
      const [action] = spans().filter((s) => s.name === 'flyte.action Rota');
      expect(spans().map((s) => s.name)).toEqual(['flyte.action Rota', 'flyte.event Seen']);
      expect(ms(action.startTime)).toBeGreaterThanOrEqual(2_000);
    });
  });

  describe('with a context manager (real time)', () => {
    beforeEach(() => {
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    });
    afterEach(() => context.disable());

    it("runs the handler inside its action's span: its spans and events nest under it", async () => {
      const { provider, spans } = inMemoryTracing();
      const tracer = provider.getTracer('rota-service');
      const api = new InMemoryFlyteApi();
      const def = rotaPack(async () => {
        tracer.startSpan('before-await').end();
        await new Promise((resolve) => setTimeout(resolve, 5));
        tracer.startSpan('after-await').end();
        await pack.sendEvent(ann);
        return { eventDef: rotaRetrieved, payload: 'Ann' };
      });
      const pack = new Pack(def, {
        api,
        tracing: provider,
        logger: jasmine.createSpyObj('l', ['error', 'warn', 'info', 'debug']),
      });
      api.model.registerPack({ name: 'rota-pack' });
      api.model.enqueueAction({ packName: 'rota-pack', command: 'Rota', input: {} });
      const delivered = firstValueFrom(pack.delivered$.pipe(filter((d) => d.kind === 'result')));
      await pack.start();
      await delivered;
      await pack.stop({ grace: 0, flushDeadline: 0 });
      const byName = new Map(spans().map((s) => [s.name, s]));
      const action = byName.get('flyte.action Rota');
      const { traceId, spanId } = action?.spanContext() ?? {};
      expect(spanId).toBeDefined();
      for (const name of ['before-await', 'after-await', 'flyte.event Seen']) {
        expect(byName.get(name)?.parentSpanContext?.spanId).withContext(name).toBe(spanId);
        expect(byName.get(name)?.spanContext().traceId).withContext(name).toBe(traceId);
      }
    });
  });

  describe('loading @opentelemetry/api', () => {
    const logger = () => jasmine.createSpyObj('logger', ['error', 'warn', 'info', 'debug']);
    const rig = (log: Logger) => {
      const api = new InMemoryFlyteApi();
      const pack = new Pack(instant(), { api, tracing: inMemoryTracing().provider, logger: log });
      return { api, pack };
    };

    it('registers only once the API has loaded, when spans are due from the start', async () => {
      let loaded!: () => void;
      spyOn(PackTracing.prototype, 'ready').and.returnValue(
        new Promise<void>((resolve) => (loaded = resolve)),
      );
      const { api, pack } = rig(logger());
      const started = pack.start();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(api.model.packs()).toEqual([]);
      loaded();
      await started;
      expect(api.model.packs().map((p) => p.name)).toEqual(['rota-pack']);
      await pack.stop({ grace: 0, flushDeadline: 0 });
    });

    it('runs untraced, with a warning, when the API does not load', async () => {
      spyOn(PackTracing.prototype, 'ready').and.returnValue(Promise.reject(new Error('gone')));
      const log = logger();
      const { api, pack } = rig(log);
      await pack.start();
      expect(api.model.packs().map((p) => p.name)).toEqual(['rota-pack']);
      expect(log.warn).toHaveBeenCalledWith(
        'tracing is off: @opentelemetry/api did not load: gone',
      );
      await pack.stop({ grace: 0, flushDeadline: 0 });
    });
  });
});
