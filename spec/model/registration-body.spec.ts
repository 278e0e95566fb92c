import type { Command, EventDef, PackDef } from '../../lib/model/definitions.js';
import { toRegistration } from '../../lib/model/registration-body.js';

const sent: EventDef = { name: 'MessageSent' };
const failed: EventDef = { name: 'SendMessageFailed', helpUrl: 'https://docs/slack#failed' };
const received: EventDef = { name: 'ReceivedMessage', helpUrl: 'https://docs/slack#received' };
const handler = () => ({ eventDef: sent, payload: {} });

const send: Command = {
  name: 'SendMessage',
  outputEvents: [sent, failed],
  helpUrl: 'https://docs/slack#send',
  handler,
};

describe('toRegistration', () => {
  it('maps the contract example exactly', () => {
    const def: PackDef = {
      name: 'Slack',
      labels: { env: 'prod' },
      helpUrl: 'https://github.com/org/slack-pack',
      commands: [send],
      events: [received],
    };
    expect(toRegistration(def)).toEqual({
      name: 'Slack',
      labels: { env: 'prod' },
      commands: [
        {
          name: 'SendMessage',
          events: ['MessageSent', 'SendMessageFailed'],
          links: [{ href: 'https://docs/slack#send', rel: 'help' }],
        },
      ],
      events: [
        { name: 'MessageSent' },
        { name: 'SendMessageFailed', links: [{ href: 'https://docs/slack#failed', rel: 'help' }] },
        { name: 'ReceivedMessage', links: [{ href: 'https://docs/slack#received', rel: 'help' }] },
      ],
      links: [{ href: 'https://github.com/org/slack-pack', rel: 'help' }],
    });
  });

  it('registers the output events of the commands when `events` is left out entirely', () => {
    const def: PackDef = { name: 'Slack', commands: [send] };
    expect('events' in def).toBeFalse();
    const body = toRegistration(def);
    expect(body).toEqual({
      name: 'Slack',
      commands: [
        {
          name: 'SendMessage',
          events: ['MessageSent', 'SendMessageFailed'],
          links: [{ href: 'https://docs/slack#send', rel: 'help' }],
        },
      ],
      events: [
        { name: 'MessageSent' },
        { name: 'SendMessageFailed', links: [{ href: 'https://docs/slack#failed', rel: 'help' }] },
      ],
    });
    expect(toRegistration({ ...def, events: [] })).toEqual(body);
  });

  it('omits labels and links when empty, and keeps commands and events', () => {
    const body = toRegistration({ name: 'Quiet', events: [sent], labels: {} });
    expect(Object.keys(body).sort()).toEqual(['commands', 'events', 'name']);
    expect(body.commands).toEqual([]);
    expect(body.events).toEqual([{ name: 'MessageSent' }]);
    const command = toRegistration({ name: 'P', commands: [{ ...send, helpUrl: undefined }] })
      .commands![0]!;
    expect('links' in command).toBeFalse();
  });

  it('de-duplicates events by name across commands and spontaneous events', () => {
    const other: Command = { name: 'Other', outputEvents: [failed, sent], handler };
    const body = toRegistration({ name: 'P', commands: [send, other], events: [sent, received] });
    expect(body.events!.map((e) => e.name)).toEqual([
      'MessageSent',
      'SendMessageFailed',
      'ReceivedMessage',
    ]);
    expect(body.commands!.map((c) => c.events)).toEqual([
      ['MessageSent', 'SendMessageFailed'],
      ['SendMessageFailed', 'MessageSent'],
    ]);
  });

  it('keeps the first help URL given for an event name', () => {
    const later: EventDef = { name: 'MessageSent', helpUrl: 'https://docs/later' };
    const first: EventDef = { name: 'MessageSent', helpUrl: 'https://docs/first' };
    const withoutThenWith = toRegistration({ name: 'P', commands: [send], events: [later] });
    expect(withoutThenWith.events![0]).toEqual({
      name: 'MessageSent',
      links: [{ href: 'https://docs/later', rel: 'help' }],
    });
    const twice = toRegistration({
      name: 'P',
      commands: [{ name: 'C', outputEvents: [first], handler }],
      events: [later],
    });
    expect(twice.events).toEqual([
      { name: 'MessageSent', links: [{ href: 'https://docs/first', rel: 'help' }] },
    ]);
  });

  it('merges the given labels over the definition labels', () => {
    const body = toRegistration(
      { name: 'P', events: [sent], labels: { env: 'dev', team: 'a' } },
      { env: 'prod', region: 'eu' },
    );
    expect(body.labels).toEqual({ env: 'prod', team: 'a', region: 'eu' });
    expect(toRegistration({ name: 'P', events: [sent] }, { env: 'prod' }).labels).toEqual({
      env: 'prod',
    });
  });

  it('produces a body that survives JSON unchanged (no undefined holes)', () => {
    const body = toRegistration({ name: 'Slack', commands: [send], events: [received] });
    expect(JSON.parse(JSON.stringify(body))).toEqual(body);
  });
});
