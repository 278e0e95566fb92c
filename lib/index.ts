/**
 * `flyte-client`: what a pack author uses, browser-safe — the `Pack`, definitions (plain or
 * typed with `defineEvent` / `defineCommand` / `definePack`), errors, logging and the
 * transport. The operators the Pack is built from are in `flyte-client/streams`.
 *
 * @module flyte-client
 */
// Explicit named exports only (no `export *`).

// The pack
export { Pack } from './pack/pack.js';
export type {
  HandlerOptions,
  PackOptions,
  PackStatus,
  PollingOptions,
  RecoveryOptions,
  StopOptions,
  TransportOptions,
} from './pack/pack-options.js';
export type { DeliveryOptions } from './pack/delivery-options.js';
export { PACK_DEFAULTS } from './model/defaults.js';

// Pack definitions
export {
  FATAL,
  FATAL_EVENT_DEF,
  fatalEvent,
  type Command,
  type CommandPipeline,
  type EventDef,
  type FatalEvent,
  type FlyteEvent,
  type Handler,
  type HandlerContext,
  type HandlerFn,
  type HandlerObject,
  type HandlerResult,
  type PackDef,
} from './model/definitions.js';
export { validatePackDef } from './model/validate.js';
export type { HandlerBackoff, HandlerRetry } from './model/handler-retry.js';

// Typed definitions: the compiler checks handlers' events and sendEvent's
export {
  defineCommand,
  defineEvent,
  definePack,
  type DefinedEvent,
  type EventDefinition,
  type EventOf,
  type NameOf,
  type OutputEvent,
  type SpontaneousEvent,
  type TypedCommand,
  type TypedHandler,
  type TypedPackDef,
} from './model/define.js';
export type { FatalPayload, FatalReason, RefusedResult } from './model/fatal-payload.js';
export type { SchemaIssue } from './model/schema-issue.js';
export type {
  CheckedHandler,
  HandlerWithPayloadOf,
  UndeclaredOutputEvent,
} from './model/handler-check.js';
export type {
  CheckedSpontaneousEvent,
  UndeclaredSpontaneousEvent,
} from './model/send-event-check.js';

// Input and output schemas: any Standard Schema v1 (zod, valibot, arktype, ...), types only
export type {
  InferSchemaOutput,
  StandardSchemaIssue,
  StandardSchemaPathSegment,
  StandardSchemaProps,
  StandardSchemaResult,
  StandardSchemaTypes,
  StandardSchemaV1,
} from './model/standard-schema.js';
export type { ActionOutcome, ActionResult, PollOutcome } from './model/outcomes.js';
export type { DeliveryReceipt } from './model/delivered.js';

// Errors and their type guards
export {
  ConfigError,
  DeliveryError,
  InferredDeliveryError,
  FlyteError,
  HttpError,
  InvalidResponseError,
  LinkNotFoundError,
  NetworkError,
  OutboxFullError,
  PackDefinitionError,
  PackNotFoundError,
  TimeoutError,
  UnauthorizedError,
  UndeclaredEventError,
  isConfigError,
  isDeliveryError,
  isInferredDeliveryError,
  isFlyteError,
  isHttpError,
  isInvalidResponseError,
  isLinkNotFoundError,
  isNetworkError,
  isOutboxFullError,
  isPackDefinitionError,
  isPackNotFoundError,
  isTimeoutError,
  isUnauthorizedError,
  isUndeclaredEventError,
  toPackError,
  type PackError,
} from './model/errors.js';
export {
  RecoveredElsewhereError,
  isRecoveredElsewhereError,
} from './model/recovered-elsewhere-error.js';

// Logging
export { silentLogger, withMeta, type Logger } from './model/logger.js';
export { consoleLogger, type LogLevel } from './model/console-logger.js';
export { pinoLogger, type ObjectFirstLogger } from './model/pino-logger.js';

// The transport: the FlyteApi port, its wire types, and the HTTP adapter
export type { FlyteApi, TakeActionOptions } from './api/flyte-api.js';
export type {
  Action,
  ApiRoot,
  Link,
  PackRegistration,
  Recovery,
  RegisteredPack,
  WireEvent,
} from './model/wire-types.js';
export type { AuditAction, AuditFlow, AuditPage, AuditQuery, AuditState } from './model/audit.js';
export { HttpFlyteApi } from './api/http-flyte-api.js';
export type { HttpFlyteApiOptions } from './api/http-flyte-api-options.js';
export type { ExchangeRequest, HttpExchange, HttpResponse } from './api/http-exchange.js';
export type { TokenProvider } from './api/token.js';
export type { BackoffConfig } from './streams/backoff.js';
export type { ForAwaitMode } from './streams/values-from.js';
export type { BurstPolling } from './streams/burst-polling.js';
