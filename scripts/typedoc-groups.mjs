// TypeDoc plugin (typedoc.json "plugin"): puts each export of the reference into a group, so
// that a module's page opens with what a reader looks for (Pack and the definitions) and ends
// with the twenty error classes. One policy for every entry point, kept here rather than as a
// @group tag in each of the many files the exports live in; an explicit @group tag wins.
import { Comment, CommentTag, Converter, ReflectionKind } from 'typedoc';

/** The exports of `flyte-client` that describe a pack rather than run it. */
const DEFINITIONS = new Set([
  'FATAL',
  'FATAL_EVENT_DEF',
  'fatalEvent',
  'validatePackDef',
  'defineCommand',
  'defineEvent',
  'definePack',
  'Command',
  'CommandPipeline',
  'EventDef',
  'FatalEvent',
  'FlyteEvent',
  'Handler',
  'HandlerContext',
  'HandlerFn',
  'HandlerObject',
  'HandlerResult',
  'PackDef',
  'DefinedEvent',
  'EventDefinition',
  'EventOf',
  'NameOf',
  'OutputEvent',
  'SpontaneousEvent',
  'TypedCommand',
  'TypedHandler',
  'FatalPayload',
  'FatalReason',
  'RefusedResult',
]);

/** The group of one export, by its entry point and name (first rule that holds); typedoc.json's groupOrder orders them. */
export function groupOf(module, name) {
  if (/Error$/.test(name) || /^is[A-Z]\w*Error$/.test(name)) return 'Errors';
  if (module === 'flyte-client/testing') return 'Testing';
  if (module === 'flyte-client/streams') return 'Operators';
  if (module === 'flyte-client' && DEFINITIONS.has(name)) return 'Definitions';
  return 'Running';
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getChildrenByKind(ReflectionKind.Module)) {
      for (const child of module.children ?? []) {
        child.comment ??= new Comment();
        if (child.comment.getTag('@group')) continue;
        const group = groupOf(module.name, child.name);
        child.comment.blockTags.push(new CommentTag('@group', [{ kind: 'text', text: group }]));
      }
    }
  });
}
