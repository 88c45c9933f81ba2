// Extract from the installed @zoom/videosdk's runtime (dist/index.esm.js, minified) a table of every rejection
// it can make, and write it where the tests read it:
//
//   harness/catalog/runtime-rejections.json     generated, committed
//
// Each entry: `type`, `errorCode` (with the ExceptionCode member it is written with), and `reason`, or a
// `template` (pattern with numbered placeholders, the source of each, a regex) when the reason is built from
// values. A payload written without a type has the one it is rejected with: `type_from` 'event' (emitted with
// that event, and a pending call rejects with `{type: event, ...payload}`) or 'wrapper' (spread into
// `{type, ...payload}` by the caller); `merged_from` names where other fields of the rejection come from (its
// reason may be there); `at` lists where it is made (enclosing method or function, byte offset; `via` the call that supplied
// the values, and the methods it decorates when it is a decorator factory's call; `decorator` the method
// decorator it is written in, whose guarded methods `decorators` lists). `errors` holds what calls can reject with that is not
// an exception-code object (thrown Error-likes, plain strings). The package is only read here. Regenerate after
// changing the pinned version (harness/catalog/videosdk-pin.json):
//
//   node scripts/extract_rejections.mjs            write the table
//   node scripts/extract_rejections.mjs --check    exit 1 when the committed table differs from the package's
//   node scripts/extract_rejections.mjs --print    print the table, write nothing
//   ... --package DIR                              read another install (default: $HARNESS_VIDEOSDK_DIR, else `harness versions path`)
//
// The parser is acorn and the scopes are eslint-scope, installed by `npm ci` in scripts/ (scripts/setup.sh does it).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractorArgs } from './videosdk_package.mjs';
import { Program, enclosingName } from './rejections/program.mjs';
import { Evaluator } from './rejections/evaluate.mjs';
import { rejectionObjects, rejectionsOf } from './rejections/find.mjs';
import { decoratedMethods, decorates, emittedWith, errorRejections, mergedFrom, wrapperTypes } from './rejections/context.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TABLE = path.join(ROOT, 'harness', 'catalog', 'runtime-rejections.json');
const RUNTIME = path.join('dist', 'index.esm.js');
const MAX_PLACEHOLDER = 120;

function fail(message) {
  console.error(`extract_rejections: ${message}`);
  process.exit(2);
}

// Character offsets → byte offsets of the UTF-8 file.
function byteOffsets(source, offsets) {
  const sorted = [...new Set(offsets)].sort((a, b) => a - b);
  const result = new Map();
  let chars = 0;
  let bytes = 0;
  for (const offset of sorted) {
    bytes += Buffer.byteLength(source.slice(chars, offset));
    chars = offset;
    result.set(offset, bytes);
  }
  return result;
}

const shortened = (text) => (text.length > MAX_PLACEHOLDER ? `${text.slice(0, MAX_PLACEHOLDER - 1)}…` : text);

function groupKey(record) {
  const fields = [record.type, record.type_from, record.reason, record.template?.pattern, record.errorCode, record.errorCode_dynamic, record.subCode, record.merged_from];
  return JSON.stringify(fields.map((field) => field ?? null));
}

function entryOf(record, exceptionCode) {
  const entry = typeof record.type === 'string' || record.type === null ? { type: record.type } : { type: null, type_dynamic: shortened(record.type.dynamic) };
  if (record.type_from) entry.type_from = record.type_from;
  entry.errorCode = record.errorCode;
  // code_constant: the ExceptionCode member the code is written with; code_name: a member of an internal enum.
  if (record.code_constant) entry[exceptionCode.get(record.code_constant)?.v === record.errorCode ? 'code_constant' : 'code_name'] = record.code_constant;
  if (record.errorCode_dynamic) entry.errorCode_dynamic = shortened(record.errorCode_dynamic);
  if (record.subCode !== undefined) entry.subCode = record.subCode;
  entry.reason = record.reason;
  if (record.template) entry.template = { ...record.template, placeholders: record.template.placeholders.map(shortened) };
  if (record.merged_from) entry.merged_from = shortened(record.merged_from);
  entry.at = [];
  return entry;
}

const order = (a, b) =>
  (a.errorCode ?? Infinity) - (b.errorCode ?? Infinity) ||
  String(a.type).localeCompare(String(b.type)) ||
  (a.reason ?? a.template?.pattern ?? '').localeCompare(b.reason ?? b.template?.pattern ?? '');

function tableOf(packageDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  const file = path.join(packageDir, RUNTIME);
  const program = new Program([file]);
  const module = program.modules.get(file);
  const evaluator = new Evaluator(program);
  const { methods: decorators, factoryCalls } = decoratedMethods(program, module);
  const exported = program.exportedVariable(module, 'ExceptionCode');
  const [exceptionEnum] = exported ? evaluator.variable(exported, module.ast, { choices: new Map(), forkable: false }) : [];
  if (exceptionEnum?.k !== 'enum') fail(`${RUNTIME}: the ExceptionCode export is not an enum the extractor can read`);
  const located = [];
  const objects = rejectionObjects(module);
  for (const object of objects) {
    let events = null;
    let wrapped = null;
    const merged = mergedFrom(module, object);
    for (const record of rejectionsOf(evaluator, module, object)) {
      if (merged) record.merged_from = merged;
      if (record.type === null) {
        events ??= [...emittedWith(program, evaluator, module, object)];
        const fromSite = record.site ? [...emittedWith(program, evaluator, record.site.module, record.site.node)] : [];
        const event = [...new Set([...events, ...fromSite])];
        wrapped ??= [...wrapperTypes(program, evaluator, module, object)];
        if (event.length === 1) Object.assign(record, { type: event[0], type_from: 'event' });
        else if (wrapped.length === 1) Object.assign(record, { type: wrapped[0], type_from: 'wrapper' });
      }
      located.push({ record, object });
    }
  }
  const errors = errorRejections(program, evaluator, module);
  const bytes = byteOffsets(module.source, [
    ...located.flatMap(({ record, object }) => [object.start, record.site?.node.start ?? object.start]),
    ...errors.map((item) => item.node.start),
  ]);
  const guards = {};
  const where = (node) => {
    const at = { in: enclosingName(module, node), offset: bytes.get(node.start) };
    const decorator = decorates(program, module, node, decorators);
    if (decorator) {
      at.decorator = decorator.name;
      guards[decorator.name] = decorator.methods;
    }
    return at;
  };
  const groups = new Map();
  for (const { record, object } of located) {
    const key = groupKey(record);
    if (!groups.has(key)) groups.set(key, entryOf(record, exceptionEnum.members));
    const at = where(object);
    if (record.site) {
      at.via = { in: enclosingName(module, record.site.node), offset: bytes.get(record.site.node.start) };
      if (factoryCalls.has(record.site.node)) at.via.decorates = [...factoryCalls.get(record.site.node)].sort();
    }
    const list = groups.get(key).at;
    if (!list.some((item) => JSON.stringify(item) === JSON.stringify(at))) list.push(at);
  }
  const errorGroups = new Map();
  for (const item of errors) {
    const key = JSON.stringify([item.kind, item.message, item.template?.pattern ?? null]);
    if (!errorGroups.has(key)) {
      const entry = { kind: item.kind, message: item.message };
      if (item.template) entry.template = { ...item.template, placeholders: item.template.placeholders.map(shortened) };
      errorGroups.set(key, { ...entry, at: [] });
    }
    errorGroups.get(key).at.push({ how: item.how, ...where(item.node) });
  }
  const rejections = [...groups.values()].sort(order);
  return {
    _generated: `GENERATED by \`node scripts/extract_rejections.mjs\` from ${manifest.name} ${manifest.version} ${RUNTIME}: do not edit, regenerate.`,
    package: manifest.name,
    version: manifest.version,
    source: RUNTIME,
    command: 'node scripts/extract_rejections.mjs',
    counts: {
      rejection_objects: objects.length,
      rejections: rejections.length,
      literal_reasons: rejections.filter((item) => item.reason !== null).length,
      templates: rejections.filter((item) => item.template).length,
      without_reason: rejections.filter((item) => item.reason === null && !item.template).length,
      errors: errorGroups.size,
    },
    rejections,
    decorators: Object.fromEntries(Object.entries(guards).sort(([a], [b]) => a.localeCompare(b))),
    errors: [...errorGroups.values()].sort((a, b) => a.kind.localeCompare(b.kind) || (a.message ?? a.template?.pattern ?? '').localeCompare(b.message ?? b.template?.pattern ?? '')),
  };
}

function main() {
  const args = extractorArgs(process.argv.slice(2), fail);
  if (!fs.existsSync(path.join(args.packageDir, RUNTIME))) fail(`${args.packageDir} is not an installed @zoom/videosdk (\`harness versions install real\`)`);
  const table = tableOf(args.packageDir);
  const text = `${JSON.stringify(table, null, 1)}\n`;
  if (args.mode === 'print') {
    process.stdout.write(text);
    return;
  }
  const current = fs.existsSync(TABLE) ? fs.readFileSync(TABLE, 'utf8') : null;
  const summary = `${table.package} ${table.version}: ${table.counts.rejections} rejections (${table.counts.literal_reasons} literal reasons, ${table.counts.templates} templates), ${table.counts.errors} errors`;
  if (args.mode === 'check') {
    if (current !== text) {
      console.error(`out of date with ${table.package} ${table.version}: ${path.relative(ROOT, TABLE)} (run node scripts/extract_rejections.mjs)`);
      process.exit(1);
    }
    console.log(`up to date with ${summary}`);
    return;
  }
  if (current !== text) fs.writeFileSync(TABLE, text);
  console.log(`${summary}; ${current === text ? 'unchanged' : `wrote ${path.relative(ROOT, TABLE)}`}`);
}

main();
