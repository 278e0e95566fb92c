// Fixture of spec/node/types/type-errors.spec.ts, not compiled by `make typecheck`: each
// `// error:` comment is the first line of the compiler's message for the line below it.
import { of } from 'rxjs';
import { defineCommand, defineEvent, definePack, Pack } from 'flyte-client';

const rotaRetrieved = defineEvent('RotaRetrieved').withPayload<{ onCall: string }>();
const rotaFailed = defineEvent('RotaFailed').withPayload<string>();
const someoneSeen = defineEvent('SomeoneSeen').withPayload<{ who: string }>();
const outputEvents = [rotaRetrieved] as const;
const ann = { onCall: 'Ann' };

export const undeclared = defineCommand({
  name: 'Rota',
  outputEvents,
  // error: Type '() => { eventDef: EventDef<string, "RotaFailed">; payload: string; }' is not assignable to type '"event 'RotaFailed' is not among the outputEvents of command 'Rota'"'.
  handler: () => ({ eventDef: rotaFailed, payload: 'no rota' }),
});

export const undeclaredAsync = defineCommand({
  name: 'Rota',
  outputEvents,
  // error: Type '() => Promise<{ eventDef: EventDef<string, "RotaFailed">; payload: string; }>' is not assignable to type '"event 'RotaFailed' is not among the outputEvents of command 'Rota'"'.
  handler: async () => ({ eventDef: rotaFailed, payload: 'no rota' }),
});

export const undeclaredObservable = defineCommand({
  name: 'Rota',
  outputEvents,
  // error: Type '() => Observable<{ eventDef: EventDef<string, "RotaFailed">; payload: string; }>' is not assignable to type '"event 'RotaFailed' is not among the outputEvents of command 'Rota'"'.
  handler: () => of({ eventDef: rotaFailed, payload: 'no rota' }),
});

export const wrongPayload = defineCommand({
  name: 'Rota',
  outputEvents,
  // error: Type '() => { eventDef: EventDef<{ onCall: string; }, "RotaRetrieved">; payload: { onCall: number; }; }' is not assignable to type 'HandlerWithPayloadOf<"RotaRetrieved", { onCall: string; }, DefinedEvent<{ onCall: string; }, EventDef<{ onCall: string; }, "RotaRetrieved">>>'.
  handler: () => ({ eventDef: rotaRetrieved, payload: { onCall: 42 } }),
});

export const notAnEvent = defineCommand({
  name: 'Rota',
  outputEvents,
  // error: Type '() => { onCall: string; }' is not assignable to type '"a handler must return an event ({ eventDef, payload }), a promise or an observable of one"'.
  handler: () => ann,
});

const pack = new Pack(definePack({ name: 'rota-pack', commands: [], events: [someoneSeen] }), {
  url: 'http://localhost:8080',
});
// error: Argument of type '{ eventDef: EventDef<{ onCall: string; }, "RotaRetrieved">; payload: { onCall: string; }; }' is not assignable to parameter of type '"event 'RotaRetrieved' is not among the events of pack 'rota-pack'"'.
void pack.sendEvent({ eventDef: rotaRetrieved, payload: ann });
// A declared event with a wrong payload: the compiler points at the field that differs.
// error: Type 'number' is not assignable to type 'string'.
void pack.sendEvent({ eventDef: someoneSeen, payload: { who: 42 } });
