import { ModelError, type PackStatus, type StoredPack } from './flyte-model-types.js';
import { packIdOf, validateRegistration } from './flyte-model-validation.js';

const MINUTE = 60_000;

/**
 * The packs part of the {@link FlyteModel}: registration, look-up, `lastSeen` and status.
 * Internal to the testing kit; use the model.
 *
 * @example
 * const packs = new PackRegistry(() => Date.now(), () => undefined);
 * packs.register({ name: 'Slack', labels: { env: 'prod' } }).id; // 'Slack.env.prod'
 */
export class PackRegistry {
  private readonly byId = new Map<string, StoredPack>();

  /**
   * @param now - the clock, in ms since the epoch.
   * @param notify - called after every change.
   */
  constructor(
    private readonly now: () => number,
    private readonly notify: () => void,
  ) {}

  /** Validates and stores the pack; a pack with the same id is replaced (the id is kept). */
  register(body: unknown): StoredPack {
    const registration = validateRegistration(body);
    const labels = registration.labels ?? {};
    const id = packIdOf(registration.name, labels);
    return this.store({ id, name: registration.name, labels, registration, lastSeen: this.iso() });
  }

  /** Every pack, in first-registration order. */
  list(): readonly StoredPack[] {
    return [...this.byId.values()];
  }

  /** The pack with this id, if any. */
  get(id: string): StoredPack | undefined {
    return this.byId.get(id);
  }

  /** Forgets the pack; false when it was unknown. */
  delete(id: string): boolean {
    const deleted = this.byId.delete(id);
    if (deleted) this.notify();
    return deleted;
  }

  /** Status from `lastSeen`: `live` < 10 min, `warning` < 24 h, else `critical`. 404 when unknown. */
  status(id: string): PackStatus {
    const age = this.now() - Date.parse(this.require(id).lastSeen);
    return age < 10 * MINUTE ? 'live' : age < 24 * 60 * MINUTE ? 'warning' : 'critical';
  }

  /** Refreshes the pack's `lastSeen` and returns it. ModelError(404) when unknown. */
  touch(id: string): StoredPack {
    return this.store({ ...this.require(id), lastSeen: this.iso() });
  }

  /** Forgets every pack. */
  clear(): void {
    this.byId.clear();
  }

  private require(id: string): StoredPack {
    const pack = this.byId.get(id);
    if (!pack) throw new ModelError(404, `pack "${id}" not found (never registered, or deleted)`);
    return pack;
  }

  private store(pack: StoredPack): StoredPack {
    this.byId.set(pack.id, pack);
    this.notify();
    return pack;
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}
