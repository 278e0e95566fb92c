/**
 * `flyte-client/streams`: the pure RxJS operators a Pack is built from, for composing your
 * own runtime. Each takes its scheduler as the last parameter. Browser-safe.
 *
 * @module flyte-client/streams
 */
// Explicit named exports only. What a runtime composes (docs/guide.md, "Composing your own
// runtime") and the types their signatures name; the pure policies the operators drive, and
// helpers no runtime calls, stay inside: each is exercised through its operator.

// Registration, and re-registration after a 404
export { registration$, type Registration, type RegistrationOptions } from './registration.js';
export { reRegistration, type ReRegistration, type ReRegistrationDeps } from './re-registration.js';
export { toRegistration } from '../model/registration-body.js';

// Taking actions while a handler slot is free
export { poll$, type PollDeps } from './polling.js';
export { SlotLedger, type SlotLedgerOptions, type SlotReservation } from './slot-ledger.js';
export type { TakeContentionConfig } from './take-contention.js';
export type { BurstPolling } from './burst-polling.js';

// Running handlers
export { dispatch, runAction$, type DispatchOptions, type RunActionOptions } from './dispatch.js';
export type { HandlerFailure, HandlerRetryNotice } from './handler-retry.js';

// Delivering results and events
export { deliver, deliverOne$, type DeliveryDeps, type OutboxOptions } from './delivery.js';
export { actionState } from '../api/action-state.js';
export type {
  DeliveryEnd,
  DeliveryReport,
  DeliveryTiming,
  OutboxItem,
} from '../model/outbox-item.js';
export { toWireEvent } from '../model/wire-event.js';

// Recovering stranded actions through the audit
export {
  recoverStranded$,
  type RecoveryConfig,
  type RecoveryDeps,
  type RecoveryEvent,
} from './recovery.js';
export type { ScanReach } from './scan-plan.js';

// For await over a stream
export { valuesFrom, type ForAwaitMode } from './values-from.js';

// Backoff and graceful stop
export { retryWithBackoff, type BackoffConfig, type RetryWithBackoffOptions } from './backoff.js';
export { gracefulStop$, type StopSteps } from './graceful-stop.js';
