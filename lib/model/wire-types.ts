/**
 * Wire and domain types of the flyte HTTP API, as a pack client sees it.
 * See the API contract: every URL the client uses comes from a `links` array.
 */

/**
 * A HATEOAS link as the flyte server sends it.
 *
 * @example
 * const link: Link = { href: 'http://flyte:8080/v1/packs', rel: 'http://flyte:8080/swagger#!/pack/listPacks' };
 */
export interface Link {
  /** The URL the link points to. */
  readonly href: string;
  /** What the link is, e.g. `help` or `http://.../rels/takeAction`. */
  readonly rel: string;
}

/**
 * The API root found by discovery (`GET {base}/v1`).
 *
 * @example
 * api.discover().subscribe((root: ApiRoot) => console.log(root.packsUrl));
 */
export interface ApiRoot {
  /** The URL that was discovered (`{base}/v1`). */
  readonly url: string;
  /** Every link of the root document. */
  readonly links: readonly Link[];
  /** href of the link whose rel ends with `pack/listPacks`. */
  readonly packsUrl: string;
  /** href of the link whose rel ends with `info/health`, when the server offers one. */
  readonly healthUrl?: string;
  /** href of the link whose rel ends with `flowAudit/findFlows` (the audit), when offered. */
  readonly auditUrl?: string;
}

/**
 * The body of a pack registration (`POST <packs link>`), exactly as the server reads it.
 *
 * @example
 * const body: PackRegistration = { name: 'Slack', commands: [{ name: 'Send', events: ['Sent'] }], events: [{ name: 'Sent' }] };
 */
export interface PackRegistration {
  /** The pack's name. */
  readonly name: string;
  /** Labels that, with the name, identify the pack; flows select packs by them. */
  readonly labels?: Readonly<Record<string, string>>;
  /** The commands the pack can execute. */
  readonly commands?: readonly {
    /** The command's name. */
    readonly name: string;
    /** The names of the events the command may produce. */
    readonly events: readonly string[];
    /** The command's links (its `help` link). */
    readonly links?: readonly Link[];
  }[];
  /** Every event the pack may send: the commands' output events and its spontaneous ones. */
  readonly events?: readonly {
    /** The event's name. */
    readonly name: string;
    /** The event's links (its `help` link). */
    readonly links?: readonly Link[];
  }[];
  /** The pack's links (its `help` link). */
  readonly links?: readonly Link[];
}

/**
 * A registered pack, as the server answered the registration.
 *
 * @example
 * api.register(root, body).subscribe((pack: RegisteredPack) => console.log(pack.id, pack.takeActionUrl));
 */
export interface RegisteredPack {
  /** The pack id (deterministic: name plus `.key.value` per sorted label). */
  readonly id: string;
  /** The pack's name. */
  readonly name: string;
  /** The `Location` header of the 201, or the `self` link. */
  readonly url?: string;
  /** href of the link whose rel ends with `takeAction`. */
  readonly takeActionUrl: string;
  /** href of the link whose rel ends with `event`. */
  readonly eventUrl: string;
  /** Per-command take-action hrefs, by command name (as the server built them). */
  readonly commandTakeActionUrls: Readonly<Record<string, string>>;
  /** Every link of the registered pack. */
  readonly links: readonly Link[];
}

/**
 * An action taken from the server (`POST <take action link>` answered 200).
 *
 * @typeParam I - the type of the command's input.
 * @example
 * api.takeAction(pack).subscribe((action) => action && console.log(action.command, action.input));
 */
export interface Action<I = unknown> {
  /** The action id, read from the result link (`.../actions/ID/result`); empty when the href has none. */
  readonly id: string;
  /** The name of the command to run. */
  readonly command: string;
  /** Whatever the flow step put there: an object, a string, a number, or `undefined`. */
  readonly input: I;
  /** href of the link whose rel ends with `actionResult`. */
  readonly resultUrl: string;
  /** Every link of the server's answer. */
  readonly links: readonly Link[];
  /**
   * Set when the server's answer was malformed (e.g. no `command`) but named the result link:
   * the action was taken all the same, so the pack completes it with `FATAL` rather than
   * leaving it PENDING for ever.
   */
  readonly problem?: string;
  /**
   * Set when the pack did not take this action but recovered it: found stranded `PENDING` in
   * the server's audit (see `docs/recovery.md`).
   */
  readonly recovered?: Recovery;
}

/**
 * How a recovered action was found: stranded `PENDING` in the audit.
 *
 * @example
 * if (action.recovered) logger.info(`stranded for ${action.recovered.strandedFor} ms`);
 */
export interface Recovery {
  /** How long the action had been PENDING when the scan found it, in ms. */
  readonly strandedFor: number;
  /** RFC 3339 time at which the server moved it to PENDING. */
  readonly pendingSince: string;
  /** The flow execution it belongs to (to look it up in the audit again). */
  readonly correlationId: string;
}

/**
 * An event as it goes on the wire: a result of an action, or a spontaneous event.
 *
 * @example
 * const wire: WireEvent = { event: 'RotaRetrieved', payload: { onCall: 'Ann' }, createdAt: new Date().toISOString() };
 */
export interface WireEvent {
  /** The event's name. */
  readonly event: string;
  /** The event's payload, any JSON value. */
  readonly payload: unknown;
  /** RFC 3339 time at which the event was created. */
  readonly createdAt: string;
}
