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
export { FakeServerControl, FakeServerControlError } from './fake-server-control.js';
export { type FaultConfig, type FaultEndpoint, type RequestLogEntry } from './fake-http-types.js';
export { mulberry32 } from './fake-faults.js';
