// flyte-client: the browser-safe core. Explicit named exports only (no `export *`).

// Errors and their type guards
export {
  BODY_EXCERPT_LIMIT,
  ConfigError,
  DeliveryError,
  FlyteError,
  HttpError,
  InvalidResponseError,
  LinkNotFoundError,
  NetworkError,
  PackDefinitionError,
  PackNotFoundError,
  TimeoutError,
  UnauthorizedError,
  isConfigError,
  isDeliveryError,
  isFlyteError,
  isHttpError,
  isInvalidResponseError,
  isLinkNotFoundError,
  isNetworkError,
  isPackDefinitionError,
  isPackNotFoundError,
  isTimeoutError,
  isUnauthorizedError,
} from './model/errors.js';
export { REDACTED, redact } from './model/redact.js';

// Logging
export { silentLogger, withMeta, type Logger } from './model/logger.js';
export { consoleLogger, type LogLevel } from './model/console-logger.js';

// The API: port, wire types, HTTP adapter, links
export type {
  Action,
  ApiRoot,
  Link,
  PackRegistration,
  RegisteredPack,
  WireEvent,
} from './model/wire-types.js';
export type { FlyteApi, TakeActionOptions } from './api/flyte-api.js';
export { HttpFlyteApi } from './api/http-flyte-api.js';
export { apiRootUrl, commandTakeUrl } from './api/api-urls.js';
export { DEFAULT_TIMEOUT, type HttpFlyteApiOptions } from './api/http-flyte-api-options.js';
export {
  findLink,
  findLinkHref,
  findOptionalLink,
  findOptionalLinkHref,
  relMatches,
} from './api/links.js';

// Pack definitions, validation and mapping
export {
  FATAL,
  FATAL_EVENT,
  fatalEvent,
  type Command,
  type CommandPipeline,
  type Event,
  type EventDef,
  type Handler,
  type HandlerContext,
  type HandlerFn,
  type HandlerObject,
  type HandlerResult,
  type PackDef,
} from './model/definitions.js';
export type { PackOptions, PackStatus, StopOptions } from './pack/pack-options.js';
export type { ActionOutcome, ActionResult, PollOutcome } from './model/outcomes.js';
export type { BackoffConfig } from './streams/backoff.js';
export type { TokenProvider } from './api/token.js';
export { validatePackDef } from './model/validate.js';
export { toRegistration } from './model/registration-body.js';
export { toWireEvent } from './model/wire-event.js';

// The pack runtime
export { Pack } from './pack/pack.js';
export { MIN_POLL_INTERVAL } from './pack/pack-settings.js';
export { isEvent } from './model/is-event.js';

// Streams: the pure operators the pack is built from (injected scheduler last)
export {
  backoffDelay,
  backoffMs,
  resolveBackoff,
  retryWithBackoff,
  type RetryWithBackoffOptions,
} from './streams/backoff.js';
export { CapacityGate } from './streams/capacity-gate.js';
export {
  registration$,
  type Registration,
  type RegistrationOptions,
} from './streams/registration.js';
export { poll$, type PollDeps } from './streams/polling.js';
export {
  dispatch,
  runAction$,
  type DispatchOptions,
  type RunActionOptions,
} from './streams/dispatch.js';
export { handlerEvent$ } from './streams/handler-event.js';
export {
  fatalResult,
  type FatalDetails,
  type FatalPayload,
  type FatalReason,
} from './model/fatal-result.js';
export { deliver, deliverOne$, type DeliveryDeps, type OutboxOptions } from './streams/delivery.js';
export { describeItem, type DeliveryReport, type OutboxItem } from './model/outbox-item.js';
