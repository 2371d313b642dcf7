import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema, parseConfig } from '../../src/core/config';

type Property = { type?: string | string[]; default?: unknown; description?: string; markdownDescription?: string };

/** package.json, read as data: the extension's settings must be the config schema, key for key. */
const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  l10n?: string;
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    menus: { commandPalette?: { command: string; when: string }[] };
    configuration: { id: string; title: string; properties: Record<string, Property> }[];
  };
};
/** The manifest's strings (`%key%` in package.json) */
const nls = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.nls.json'), 'utf8')) as Record<string, string>;

/** A manifest string as users read it: `%key%` looked up in package.nls.json. */
function text(value: string | undefined): string {
  const key = /^%(.+)%$/.exec(value ?? '')?.[1];
  if (!key) return value ?? '';
  assert.ok(key in nls, `package.nls.json has no ${key}`);
  return nls[key];
}

const properties: Record<string, Property> = Object.assign({}, ...manifest.contributes.configuration.map((s) => s.properties));

interface ZodNode {
  _zod: {
    def: {
      type: string;
      innerType?: ZodNode;
      shape?: Record<string, ZodNode>;
      checks?: { _zod: { def: { check: string; format?: string } } }[];
    };
  };
}

function unwrap(node: ZodNode): ZodNode {
  let current = node;
  while (current._zod.def.type === 'default' || current._zod.def.type === 'optional') current = current._zod.def.innerType!;
  return current;
}

/** Every leaf of the schema as [dotted path, its schema]; objects are walked into, records are leaves. */
function leaves(node: ZodNode, prefix: string[] = []): [string, ZodNode][] {
  const inner = unwrap(node);
  if (inner._zod.def.type !== 'object') return [[prefix.join('.'), inner]];
  return Object.entries(inner._zod.def.shape!).flatMap(([key, child]) => leaves(child, [...prefix, key]));
}

const schemaLeaves = leaves(configSchema as unknown as ZodNode);
const defaults = parseConfig({}) as unknown as Record<string, unknown>;

function valueAt(object: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], object);
}

function jsonTypeOf(node: ZodNode): string {
  const type = node._zod.def.type;
  if (type === 'number') return node._zod.def.checks?.some((c) => c._zod.def.format === 'safeint') ? 'integer' : 'number';
  if (type === 'enum') return 'string';
  return type === 'record' ? 'object' : type;
}

describe('package.json settings match the config schema', () => {
  it('declares exactly the schema keys under budgetml.*', () => {
    const expected = schemaLeaves.map(([path]) => `budgetml.${path}`).sort();
    assert.deepEqual(Object.keys(properties).sort(), expected);
  });

  it('gives every setting the schema default (null where the schema has none)', () => {
    for (const [path] of schemaLeaves) {
      const declared = properties[`budgetml.${path}`];
      const expected = valueAt(defaults, path);
      assert.ok('default' in declared, `budgetml.${path} has no default`);
      assert.deepEqual(declared.default, expected === undefined ? null : expected, `default of budgetml.${path}`);
    }
  });

  it('gives every setting the schema type (nullable when optional) and a description', () => {
    for (const [path, node] of schemaLeaves) {
      const declared = properties[`budgetml.${path}`];
      const optional = valueAt(defaults, path) === undefined;
      const expectedType = optional ? [jsonTypeOf(node), 'null'] : jsonTypeOf(node);
      assert.deepEqual(declared.type, expectedType, `type of budgetml.${path}`);
      assert.ok(text(declared.markdownDescription ?? declared.description).length > 20, `budgetml.${path} needs a description`);
    }
  });

  it('has defaults the schema accepts as they are', () => {
    const raw: Record<string, unknown> = {};
    for (const [key, prop] of Object.entries(properties)) {
      if (prop.default === null) continue;
      const parts = key.split('.').slice(1);
      let node = raw;
      for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
      node[parts[parts.length - 1]] = prop.default;
    }
    assert.deepEqual(parseConfig(raw), parseConfig({}));
  });
});

describe('package.json settings layout', () => {
  it('groups the settings in titled categories, each with its own id', () => {
    const sections = manifest.contributes.configuration;
    assert.ok(Array.isArray(sections) && sections.length > 1);
    for (const section of sections) {
      assert.match(section.id, /^budgetml\./);
      assert.ok(text(section.title).length > 3, section.id);
      assert.ok(Object.keys(section.properties).length > 0, section.id);
    }
  });
});

describe('package.json commands', () => {
  const palette = [
    'Start Task',
    'Stop Task',
    'Accept Edit',
    'Reject Edit',
    'Set API Key',
    'Select Models',
    'Select Compute',
    'Open Benchmark Report',
    'Test Connection',
    'Open Sample Project',
    'Run the Recorded Demo',
    'Create Task File',
    'Show Experiments',
    'Open Run Log',
    'Resume Run',
    'Compare Experiments',
    'Restore Experiment Code',
  ];

  it('puts every command in the BudgetML category', () => {
    for (const c of manifest.contributes.commands) assert.equal(text(c.category), 'BudgetML', c.command);
  });

  it('offers the user-facing commands in the palette', () => {
    const hidden = new Set((manifest.contributes.menus.commandPalette ?? []).filter((m) => m.when === 'false').map((m) => m.command));
    const shown = manifest.contributes.commands.filter((c) => !hidden.has(c.command)).map((c) => text(c.title));
    assert.deepEqual(shown.sort(), [...palette].sort());
  });

  it('shows Accept / Reject Edit only while an edit waits, Stop only while a run goes, Start only when it can', () => {
    const when = (id: string) => manifest.contributes.menus.commandPalette?.find((m) => m.command === `budgetml.${id}`)?.when;
    assert.equal(when('acceptEdit'), 'budgetml.reviewingEdit');
    assert.equal(when('rejectEdit'), 'budgetml.reviewingEdit');
    assert.equal(when('stopTask'), 'budgetml.running');
    assert.match(when('startTask') ?? '', /!budgetml\.running/);
    assert.doesNotMatch(
      when('startTask') ?? '',
      /isWorkspaceTrusted/,
      'in Restricted Mode Start Task is listed and explains that the folder must be trusted',
    );
  });

  it('has every manifest string in package.nls.json', () => {
    const keys = JSON.stringify(manifest).match(/"%[^"%]+%"/g) ?? [];
    for (const key of keys) text(key.slice(1, -1));
    assert.equal(manifest.l10n, './l10n');
  });
});
