/**
 * `flyte-client/testing` for browsers: the browser-safe testing kit. In Node the same entry
 * point also offers the fake HTTP server (see `./node.ts`).
 */
export { FlyteModel } from './flyte-model.js';
export {
  type ActionInput,
  type ActionRecord,
  type ActionState,
  type EventInput,
  type EventRecord,
  ModelError,
  type PackStatus,
  type StoredPack,
} from './flyte-model-types.js';
export { packIdOf } from './flyte-model-validation.js';
export {
  FakeFlyteServerControl,
  FakeFlyteServerControlError,
} from './fake-flyte-server-control.js';
export {
  type BodyFault,
  type EndpointStats,
  type FaultConfig,
  type FaultPatch,
  type FaultEndpoint,
  type InjectedFault,
  type RedirectFault,
  type RequestLogEntry,
} from './fake-http-types.js';
export { mulberry32 } from './fake-faults.js';
export { InMemoryFlyteApi, type InMemoryFlyteApiOptions } from './in-memory-flyte-api.js';
export { type Latency } from './in-memory-call.js';
export { type ApiCall } from './in-memory-call-log.js';
export {
  type ApiMethod,
  type CallInfo,
  type Fault,
  type FaultHook,
  type FaultKind,
} from './in-memory-faults.js';
export { IN_MEMORY_BASE_URL } from './in-memory-documents.js';
export { testPack, testPackWith } from './test-pack.js';
export {
  type ActionSpec,
  type PackTest,
  type PackTestContext,
  type PackTestOptions,
  type PackTestResult,
  type TakeOutcome,
} from './pack-test-types.js';
export {
  type RecordedEvent,
  type RecordedResult,
  serverEvents$,
  serverResults$,
} from './server-records.js';
export { assertDeepEqual, deepEqual } from './deep-equal.js';
export { takeAndVanish } from './take-and-vanish.js';
export { marblesAt } from './marbles-at.js';
export { type ExpectedResult } from './expected-result.js';
