import type {
  EndpointStats,
  FaultConfig,
  FaultPatch,
  FaultEndpoint,
  RequestLogEntry,
} from './fake-http-types.js';
import type {
  ActionInput,
  ActionRecord,
  EventRecord,
  PackStatus,
  StoredPack,
} from './flyte-model-types.js';

/**
 * The error of a control call the fake server refused (or a wait that timed out: status 408).
 *
 * @example
 * control.waitForResults(3, 100).catch((e: FakeFlyteServerControlError) => e.status); // 408
 */
export class FakeFlyteServerControlError extends Error {
  /** Always `'FakeFlyteServerControlError'`. */
  override readonly name: string = 'FakeFlyteServerControlError';

  constructor(
    message: string,
    /** The HTTP status the control endpoint answered. */
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * A browser-safe client of the fake flyte server's `/_fake/*` control endpoints (global
 * `fetch`), for specs that run in Chromium as well as in Node.
 *
 * @example
 * const control = new FakeFlyteServerControl(fakeServerUrl());
 * await control.reset();
 * const { id } = await control.enqueueAction({ packName: 'Slack', command: 'Send', input: 'hi' });
 * // ... run a pack against fakeServerUrl() ...
 * await control.waitForResults(1);
 * expect((await control.action(id))?.state).toBe('SUCCESS');
 */
export class FakeFlyteServerControl {
  /** @param url - the fake server's URL (any path; control endpoints live at its origin's `/_fake/`). */
  constructor(readonly url: string) {}

  /** Creates a `NEW` action, as a flow step would. */
  enqueueAction(action: ActionInput): Promise<ActionRecord> {
    return this.call('POST', 'actions', action);
  }

  /** Every action, oldest first, with its state history and result. */
  actions(): Promise<ActionRecord[]> {
    return this.call('GET', 'actions');
  }

  /** One action; `undefined` when unknown. */
  async action(id: string): Promise<ActionRecord | undefined> {
    return this.call<ActionRecord>('GET', `actions/${encodeURIComponent(id)}`).catch(
      (e: unknown) => {
        if (e instanceof FakeFlyteServerControlError && e.status === 404) return undefined;
        throw e;
      },
    );
  }

  /** Every spontaneous event, oldest first. */
  events(): Promise<EventRecord[]> {
    return this.call('GET', 'events');
  }

  /** Every registered pack, with its status. */
  packs(): Promise<
    (StoredPack & {
      /** The pack's health. */
      readonly status: PackStatus;
    })[]
  > {
    return this.call('GET', 'packs');
  }

  /** The API request log (no token values). */
  requests(): Promise<RequestLogEntry[]> {
    return this.call('GET', 'requests');
  }

  /** Per endpoint: requests, answers per status, takes that lost a race, faults. */
  stats(): Promise<Partial<Record<FaultEndpoint, EndpointStats>>> {
    return this.call('GET', 'stats');
  }

  /** Back to a fresh server: state, faults, auth, health and request log. */
  reset(): Promise<void> {
    return this.call('POST', 'reset');
  }

  /** Replaces the faults injected into API requests (`PUT /_fake/faults`); `{}` clears. */
  setFaults(faults: FaultConfig): Promise<void> {
    return this.call('PUT', 'faults', faults);
  }

  /** Changes the fault settings given and keeps the others (`POST /_fake/faults`); `null` removes one. */
  updateFaults(patch: FaultPatch): Promise<void> {
    return this.call('POST', 'faults', patch);
  }

  /** Removes every fault (`DELETE /_fake/faults`). */
  clearFaults(): Promise<void> {
    return this.call('DELETE', 'faults');
  }

  /** Requires `Authorization: Bearer <token>` on API requests; `null` turns auth off. */
  requireToken(token: string | null): Promise<void> {
    return this.call('POST', 'auth', { token });
  }

  /** Forgets a pack (its next take gets 404); false when it was unknown. */
  async deletePack(id: string): Promise<boolean> {
    return this.call('DELETE', `packs/${encodeURIComponent(id)}`).then(
      () => true,
      (e: unknown) => {
        if (e instanceof FakeFlyteServerControlError && e.status === 404) return false;
        throw e;
      },
    );
  }

  /** Makes `GET /health` answer 200 (true) or 500 (false). */
  setHealthy(healthy: boolean): Promise<void> {
    return this.call('POST', 'health', { healthy });
  }

  /**
   * Resolves once `n` actions have a result (a server-side long poll, no sleeps); rejects with a
   * {@link FakeFlyteServerControlError} (408) when `timeoutMs` runs out first.
   */
  async waitForResults(n: number, timeoutMs = 10_000): Promise<void> {
    await this.call('GET', `wait?results=${n}&timeoutMs=${timeoutMs}`);
  }

  private async call<T = void>(method: string, path: string, body?: unknown): Promise<T> {
    const url = new URL(`/_fake/${path}`, this.url).toString();
    const response = await fetch(url, {
      method,
      ...(body !== undefined && {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new FakeFlyteServerControlError(
        `${method} ${url} answered ${response.status}: ${text}`,
        response.status,
      );
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
