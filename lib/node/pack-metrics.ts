import {
  Counter,
  type CounterConfiguration,
  Gauge,
  type GaugeConfiguration,
  Histogram,
  type HistogramConfiguration,
  type Metric,
  Registry,
} from 'prom-client';
import { Subscription } from 'rxjs';
import { isDeliveryError, isInferredDeliveryError } from '../model/errors.js';
import type { FatalReason } from '../model/fatal-payload.js';
import type { ActionResult, PollOutcome } from '../model/outcomes.js';
import type { Pack } from '../pack/pack.js';
import type { PackStatus } from '../pack/pack-options.js';
import { handlersRunning$ } from './handlers-running.js';

/**
 * Options of {@link packMetrics}.
 *
 * @example
 * import { register } from 'prom-client';
 * packMetrics(pack, { registry: register }); // beside your own metrics, in the global registry
 */
export interface PackMetricsOptions {
  /**
   * Where the metrics are registered. Several packs may share one: each metric is created
   * once and the `pack` label tells the packs apart. @default a new Registry of the pack's own
   * (prom-client's global registry is left alone)
   */
  readonly registry?: Registry;
  /**
   * The commands the pack declares: the values the `command` label may take. Any other
   * command name an action carries (it comes from the server) is labelled `unknown`, so the
   * server cannot grow the number of series. `runPack` passes the definition's.
   * @default [] (every command labelled `unknown`)
   */
  readonly commands?: readonly string[];
}

/** The `command` label of an action's command, given the commands the pack declares. */
function commandLabel(declared: ReadonlySet<string>, command: string): string {
  return declared.has(command) ? command : 'unknown';
}

/**
 * The metrics of a pack, fed from its streams.
 *
 * @example
 * const metrics = packMetrics(pack);
 * console.log(await metrics.registry.metrics());
 * metrics.unsubscribe();
 */
export interface PackMetrics {
  /** The registry the metrics are in: `await registry.metrics()` is the Prometheus text. */
  readonly registry: Registry;
  /** Stops feeding the metrics from the pack; their values stay. */
  unsubscribe(): void;
}

/** Every way an action fails that the SDK names (a `FATAL` event's `reason`). */
const FATAL_REASONS: Readonly<Record<FatalReason, true>> = {
  threw: true,
  rejected: true,
  errored: true,
  empty: true,
  'invalid-event': true,
  'undeclared-event': true,
  'invalid-input': true,
  'invalid-output': true,
  timeout: true,
  'unknown-command': true,
  'invalid-action': true,
  cancelled: true,
  refused: true,
};

/** Every status of a pack: one series each in `flyte_pack_status`. */
const STATUSES: Readonly<Record<PackStatus, true>> = {
  idle: true,
  registering: true,
  running: true,
  'backing-off': true,
  unauthorized: true,
  stopping: true,
  stopped: true,
};

/** The poll kind of a take that lost a race for an action to another replica. */
const TAKE_RACE: PollOutcome['kind'] = 'contention';

/** Seconds, for durations measured in ms (Prometheus measures time in seconds). */
const seconds = (ms: number): number => ms / 1000;

/** Buckets of the take and delivery durations, in seconds. */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Buckets of the handler durations, in seconds: handlers may call slow systems. */
const HANDLER_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
/** Buckets of the posts per delivery. */
const ATTEMPT_BUCKETS = [1, 2, 3, 5, 10, 20, 50];

/**
 * The `reason` label of a result: the SDK's reason for a `FATAL` it produced; `handler` for a
 * `FATAL` the handler returned itself (its payload is the handler's: not a label, whose
 * values must stay few); none for a success.
 */
function reasonOf(result: ActionResult): string | undefined {
  if (result.outcome !== 'fatal') return undefined;
  const reason = (result.event.payload as { reason?: unknown } | undefined)?.reason;
  return typeof reason === 'string' && Object.hasOwn(FATAL_REASONS, reason) ? reason : 'handler';
}

/** The metric named `name` in `registry`, created by `create` unless another pack did. */
function shared<M extends Metric>(registry: Registry, name: string, create: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}

/**
 * Feeds Prometheus metrics (prom-client) from a pack's streams: what it takes, how its
 * actions end, how long handlers and takes run, how deliveries go, and its slots, outbox
 * and status. Every metric is named `flyte_pack_*` and labelled with the pack's name
 * (`pack`); `docs/observability.md` lists them. Call it before `pack.start()`: it sees what
 * happens from then on. Node only; the pack itself only exposes observables.
 *
 * @param pack - the pack (its name, concurrency and streams).
 * @param options - the registry to use, and the declared commands (the `command` label's values).
 * @returns the registry and a way to stop feeding it.
 * @example
 * const metrics = packMetrics(pack, { commands: ['Rota'] });
 * await pack.start();
 * http.createServer(async (_, res) => res.end(await metrics.registry.metrics())).listen(9464);
 */
export function packMetrics(
  pack: Pick<
    Pack,
    | 'name'
    | 'concurrency'
    | 'actions$'
    | 'results$'
    | 'errors$'
    | 'polls$'
    | 'delivered$'
    | 'registered$'
    | 'inFlight$'
    | 'outboxSize$'
    | 'recoveryScans$'
    | 'status$'
  >,
  options: PackMetricsOptions = {},
): PackMetrics {
  const registry = options.registry ?? new Registry();
  const registers = [registry];
  // Each metric once per registry: packs sharing a registry share its metrics (label `pack`).
  const counter = <L extends string>(c: CounterConfiguration<L>) =>
    shared(registry, c.name, () => new Counter({ ...c, registers }));
  const gauge = <L extends string>(c: GaugeConfiguration<L>) =>
    shared(registry, c.name, () => new Gauge({ ...c, registers }));
  const histogram = <L extends string>(c: HistogramConfiguration<L>) =>
    shared(registry, c.name, () => new Histogram({ ...c, registers }));
  const p = { pack: pack.name };
  const declared = new Set(options.commands ?? []);

  const actionsTaken = counter({
    name: 'flyte_pack_actions_taken_total',
    help: 'Actions the pack took, or recovered (recovered="true": found stranded PENDING).',
    labelNames: ['pack', 'command', 'recovered'],
  });
  const results = counter({
    name: 'flyte_pack_results_total',
    help: 'Results of handled actions, by outcome (success, fatal) and the reason of a FATAL.',
    labelNames: ['pack', 'command', 'outcome', 'reason'],
  });
  const recovered = counter({
    name: 'flyte_pack_recovered_actions_total',
    help: 'Results of actions recovered (found stranded PENDING), not taken.',
    labelNames: ['pack', 'command'],
  });
  const handlerDuration = histogram({
    name: 'flyte_pack_handler_duration_seconds',
    help: 'How long handlers ran, from their start to their event (or to the FATAL that replaced it).',
    labelNames: ['pack', 'command', 'outcome'],
    buckets: HANDLER_BUCKETS,
  });
  const handlerRetries = counter({
    name: 'flyte_pack_handler_retries_total',
    help: "Runs of handlers beyond each action's first (a command's retry running a failed handler again).",
    labelNames: ['pack', 'command'],
  });
  const polls = counter({
    name: 'flyte_pack_polls_total',
    help: 'Takes of the take-action link, by outcome (kind: action, empty, error, contention).',
    labelNames: ['pack', 'kind'],
  });
  const takeDuration = histogram({
    name: 'flyte_pack_take_duration_seconds',
    help: 'How long takes took, from the request to the answer, by outcome (kind).',
    labelNames: ['pack', 'kind'],
    buckets: REQUEST_BUCKETS,
  });
  const takeRaces = counter({
    name: 'flyte_pack_take_races_total',
    help: 'Takes that lost the race for an action to another replica (polls of kind contention).',
    labelNames: ['pack'],
  });
  const deliveryAttempts = histogram({
    name: 'flyte_pack_delivery_attempts',
    help: 'Posts per delivery the server accepted, by kind (result, event).',
    labelNames: ['pack', 'kind'],
    buckets: ATTEMPT_BUCKETS,
  });
  const deliveryDuration = histogram({
    name: 'flyte_pack_delivery_duration_seconds',
    help: 'Time from the first post to the acceptance of a delivery, by kind (result, event).',
    labelNames: ['pack', 'kind'],
    buckets: REQUEST_BUCKETS,
  });
  const deliveryFailures = counter({
    name: 'flyte_pack_delivery_failures_total',
    help: 'Deliveries not confirmed: given up (refused, attempts spent, pack stopped) or inferred (a result that most likely landed, unconfirmed).',
    labelNames: ['pack', 'kind', 'failure'],
  });
  const errors = counter({
    name: 'flyte_pack_errors_total',
    help: 'Errors the pack lived through (errors$), by error name.',
    labelNames: ['pack', 'error'],
  });
  const registrations = counter({
    name: 'flyte_pack_registrations_total',
    help: 'Registrations the flyte server accepted: the first, and one per re-registration.',
    labelNames: ['pack'],
  });
  const handlersInFlight = gauge({
    name: 'flyte_pack_handlers_in_flight',
    help: 'Handlers running now.',
    labelNames: ['pack'],
  });
  const slotsInUse = gauge({
    name: 'flyte_pack_slots_in_use',
    help: 'Slots in use: a take in flight, or an action whose result is not yet delivered.',
    labelNames: ['pack'],
  });
  const concurrency = gauge({
    name: 'flyte_pack_concurrency',
    help: 'Slots the pack has: handlers that may run at once.',
    labelNames: ['pack'],
  });
  const outboxSize = gauge({
    name: 'flyte_pack_outbox_size',
    help: 'Results and events queued or being posted.',
    labelNames: ['pack'],
  });
  const scanRequests = counter({
    name: 'flyte_pack_recovery_scan_requests_total',
    help: 'Audit requests of the scans for stranded actions (one scan: at most maxRequests).',
    labelNames: ['pack'],
  });
  const scanReach = gauge({
    name: 'flyte_pack_recovery_scan_unread_seconds',
    help: 'Audit time (of flow keys) within the horizon the last scan left unread: growing means scans fall behind.',
    labelNames: ['pack'],
  });
  const status = gauge({
    name: 'flyte_pack_status',
    help: 'The life-cycle status of the pack: 1 for the current one, 0 for the others.',
    labelNames: ['pack', 'status'],
  });

  // Counters whose series are known from the start show 0 rather than nothing.
  for (const kind of ['action', 'empty', 'error']) polls.inc({ ...p, kind }, 0);
  takeRaces.inc(p, 0);
  registrations.inc(p, 0);
  for (const kind of ['result', 'event']) {
    for (const failure of ['given_up', 'inferred'])
      deliveryFailures.inc({ ...p, kind, failure }, 0);
  }
  concurrency.set(p, pack.concurrency);

  const feeds = new Subscription();
  feeds.add(
    pack.actions$.subscribe((action) =>
      actionsTaken.inc({
        ...p,
        command: commandLabel(declared, action.command),
        recovered: String(action.recovered !== undefined),
      }),
    ),
  );
  feeds.add(
    pack.results$.subscribe((result) => {
      const command = commandLabel(declared, result.action.command);
      const reason = reasonOf(result);
      results.inc({ ...p, command, outcome: result.outcome, ...(reason && { reason }) });
      handlerDuration.observe(
        { ...p, command, outcome: result.outcome },
        seconds(result.handlerMs),
      );
      if (result.recovered) recovered.inc({ ...p, command });
      if (result.attempts > 1) handlerRetries.inc({ ...p, command }, result.attempts - 1);
    }),
  );
  feeds.add(
    pack.polls$.subscribe((poll) => {
      polls.inc({ ...p, kind: poll.kind });
      takeDuration.observe({ ...p, kind: poll.kind }, seconds(poll.ms));
      if (poll.kind === TAKE_RACE) takeRaces.inc(p);
    }),
  );
  feeds.add(
    pack.delivered$.subscribe((receipt) => {
      deliveryAttempts.observe({ ...p, kind: receipt.kind }, receipt.attempts);
      deliveryDuration.observe({ ...p, kind: receipt.kind }, seconds(receipt.ms));
    }),
  );
  feeds.add(
    pack.errors$.subscribe((error) => {
      errors.inc({ ...p, error: error instanceof Error ? error.name : typeof error });
      if (isDeliveryError(error)) {
        const kind = error.actionId === undefined ? 'event' : 'result';
        deliveryFailures.inc({ ...p, kind, failure: 'given_up' });
      } else if (isInferredDeliveryError(error)) {
        deliveryFailures.inc({ ...p, kind: 'result', failure: 'inferred' });
      }
    }),
  );
  feeds.add(pack.registered$.subscribe(() => registrations.inc(p)));
  feeds.add(
    pack.recoveryScans$.subscribe((reach) => {
      scanRequests.inc(p, reach.requests);
      scanReach.set(p, seconds(reach.unreadMs));
    }),
  );
  feeds.add(handlersRunning$(pack).subscribe((n) => handlersInFlight.set(p, n)));
  feeds.add(pack.inFlight$.subscribe((n) => slotsInUse.set(p, n)));
  feeds.add(pack.outboxSize$.subscribe((n) => outboxSize.set(p, n)));
  feeds.add(
    pack.status$.subscribe((current) => {
      for (const s of Object.keys(STATUSES)) status.set({ ...p, status: s }, s === current ? 1 : 0);
    }),
  );
  return { registry, unsubscribe: () => feeds.unsubscribe() };
}
