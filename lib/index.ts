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
} from './errors.js';
export { REDACTED, redact } from './redact.js';

// Logging
export { silentLogger, type Logger } from './logger.js';

// The API: port, wire types, HTTP adapter, links
export type {
  Action,
  ApiRoot,
  Link,
  PackRegistration,
  RegisteredPack,
  WireEvent,
} from './api/types.js';
export type { FlyteApi, TakeActionOptions } from './api/flyte-api.js';
export { HttpFlyteApi, commandTakeUrl } from './api/http-flyte-api.js';
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
} from './pack/definitions.js';
export type {
  ActionOutcome,
  ActionResult,
  BackoffConfig,
  PackOptions,
  PackStatus,
  PollOutcome,
  StopOptions,
  TokenProvider,
} from './pack/pack-options.js';
export { validatePackDef } from './pack/validate.js';
export { toRegistration } from './pack/registration.js';
export { toWireEvent } from './pack/wire-event.js';
