import { filter, take } from 'rxjs';
import { isConfigError, isPackDefinitionError, errorMessage } from '../model/errors.js';
import type { Logger } from '../model/logger.js';
import { asLogger } from '../model/pino-logger.js';
import type { PackDef } from '../model/definitions.js';
import { Pack } from '../pack/pack.js';
import { type PackRuntimeConfig, readConfig } from './config.js';
import { jsonLinesLogger } from './json-lines-logger.js';
import { type PackHealth, startPackHealth } from './pack-health.js';
import { writesPretty } from './pretty-lines.js';
import { redactingLogger } from './redacting-logger.js';
import {
  EXIT_CONFIG_ERROR,
  EXIT_FAILURE,
  packOptionsFrom,
  type RunningPack,
  type RunPackOptions,
} from './run-pack-options.js';
import { rememberTokens, SecretSet } from './secrets.js';
import { exitCodeOf, onShutdownSignals } from './signals.js';
import { applyEarlyOptimisation } from './v8-tiering.js';

/**
 * Runs a pack as a process, the way a container runs it: reads the `FLYTE_*` configuration,
 * logs JSON lines (token redacted; readable lines through winston on a terminal), serves health checks (`/health`, and the
 * probes `/livez` and `/readyz`) and Prometheus metrics (`/metrics`), registers and polls, and on SIGTERM, SIGINT or SIGHUP
 * stops gracefully — running handlers finish, results are delivered — then exits 0. A second
 * signal exits at once with 128 + its number. A configuration error is logged with every bad
 * variable named and exits 2; a pack that cannot run (registration refused, health port
 * taken) exits 1. On Node 20 to 22 it also has V8 optimise code sooner, for the whole
 * process (`FLYTE_V8_OPTIMISE_EARLY`, see `EARLY_OPTIMISATION`), so that the pack's code, most
 * of which runs once per action, is optimised within a few hundred actions. See
 * `docs/node-runtime.md`.
 *
 * @param def - the pack definition (one made by `definePack` keeps its types: the returned
 *   pack's `sendEvent` takes only the events it declares).
 * @param options - environment, overrides, logger, health checks, stop options, exit.
 * @returns the running pack, once the health server listens (registration goes on);
 *   rejects, after calling `exit`, when it cannot start.
 * @example
 * import { runPack } from 'flyte-client/node';
 * await runPack({ name: 'rota-pack', commands: [rota] });
 */
export async function runPack<D extends PackDef>(
  def: D,
  options: RunPackOptions = {},
): Promise<RunningPack<D>> {
  const env = options.env ?? process.env;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  // Live: tokens a `packOptions.token` provider issues join as they come (the last few).
  const secrets = new SecretSet([env.FLYTE_JWT?.trim(), options.config?.token]);
  const packOptions =
    options.packOptions?.token === undefined
      ? options.packOptions
      : { ...options.packOptions, token: rememberTokens(options.packOptions.token, secrets) };
  const loggerAt = async (config?: PackRuntimeConfig): Promise<Logger> => {
    if (options.logger) return redactingLogger(asLogger(options.logger), secrets);
    const stream = process.stdout;
    // JSON lines need no winston; without a config only the error saying why is written.
    if (!writesPretty(config?.logFormat, stream))
      return jsonLinesLogger({ level: config?.logLevel ?? 'error', secrets, stream });
    // Loaded here, not imported: only a pack writing for people loads winston.
    const { createLogger } = await import('./winston-logger.js');
    return createLogger({ level: config?.logLevel, format: config?.logFormat, secrets, stream });
  };
  const give = (logger: Logger, error: unknown, code: number): unknown => {
    logger.error(`pack "${def.name}" cannot start: ${errorMessage(error)}`);
    exit(code);
    return error;
  };

  let config: PackRuntimeConfig;
  try {
    config = readConfig(env, options.config);
  } catch (error) {
    throw give(await loggerAt(), error, isConfigError(error) ? EXIT_CONFIG_ERROR : EXIT_FAILURE);
  }
  const logger = await loggerAt(config);
  let pack: Pack<D>;
  let health: PackHealth;
  try {
    pack = new Pack(def, packOptionsFrom(config, logger, packOptions));
    health = await startPackHealth(pack, {
      host: config.healthHost,
      port: config.healthPort,
      checks: options.healthChecks ?? [],
      commands: (def.commands ?? []).map((c) => c.name),
      watchdogMultiple: options.watchdogMultiple,
      livenessStallLimit: options.livenessStallLimit,
      flyteApiCheckCritical: options.flyteApiCheckCritical,
      metrics: options.metrics,
      secrets,
      logger,
    });
  } catch (error) {
    const bad = isConfigError(error) || isPackDefinitionError(error);
    throw give(logger, error, bad ? EXIT_CONFIG_ERROR : EXIT_FAILURE);
  }
  // For the whole process, once the pack can start: see EARLY_OPTIMISATION.
  const flag = applyEarlyOptimisation(config.v8OptimiseEarly);
  if (flag) logger.debug(`V8 runs with ${flag} (FLYTE_V8_OPTIMISE_EARLY)`);

  let finish: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (finish = resolve));
  let ended = false;
  const end = (code: number): number => {
    if (!ended) {
      ended = true;
      release();
      exit(code);
      finish(code);
    }
    return code;
  };
  let stopping: Promise<number> | undefined;
  const shutdown = (reason: string, code: number): Promise<number> =>
    (stopping ??= (async () => {
      logger.info(`stopping pack "${def.name}": ${reason}`);
      await pack.stop(options.stopOptions);
      await health.close();
      logger.info(`pack "${def.name}" stopped; exiting with code ${code}`);
      return end(code);
    })());
  const release = onShutdownSignals(
    {
      first: (signal) => void shutdown(`received ${signal}`, 0),
      again: (signal) => {
        logger.error(`received ${signal} again; exiting at once`);
        end(exitCodeOf(signal));
      },
    },
    options.signals,
    options.signalSource,
  );

  // A line per action at debug: a pack at info pays nothing per action for it (our logger
  // below debug is not even subscribed; your logger filters the level itself).
  if (options.logger || config.logLevel === 'debug') {
    pack.results$.subscribe(({ action, event, outcome }) =>
      logger.debug(
        `action ${action.id} of command "${action.command}" handled: ${event.eventDef.name}`,
        {
          actionId: action.id,
          command: action.command,
          event: event.eventDef.name,
          outcome,
        },
      ),
    );
  }
  logger.info(`pack "${def.name}" starting against ${config.url}`, { labels: pack.labels });
  const started = pack.start();
  started.catch((error: unknown) => {
    if (stopping) return;
    logger.error(`pack "${def.name}" cannot run: ${errorMessage(error)}`);
    void shutdown('it cannot run', EXIT_FAILURE);
  });
  // Stopped some other way (pack.stop() called directly): end the process all the same.
  pack.status$
    .pipe(
      filter((s) => s === 'stopped'),
      take(1),
    )
    .subscribe(() => {
      started.then(
        () => shutdown('the pack stopped', 0),
        () => undefined,
      );
    });
  return {
    pack,
    config,
    logger,
    healthUrl: health.server ? `${health.server.url}/health` : undefined,
    metricsUrl: health.server && health.metrics ? `${health.server.url}/metrics` : undefined,
    done,
    shutdown: () => shutdown('asked to shut down', 0),
  };
}
