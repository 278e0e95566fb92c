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
// error: Type 'EventDef<{ onCall: string; }, "RotaRetrieved">' is not assignable to type 'EventDef<{ who: string; }, "SomeoneSeen">'.
// error: Property 'who' is missing in type '{ onCall: string; }' but required in type '{ who: string; }'.
void pack.sendEvent({ eventDef: rotaRetrieved, payload: ann });
