// What an installed @zoom/videosdk is made of, read from its files (never run in a page):
//
//   snapshotOf(dir)   the runtime's named exports, every enum member by member (scripts/extract_enums.mjs
//                     writes the double's enums from it), and the enums only the typings declare
//   surfaceOf(dir)    the snapshot plus the functions the typings declare (`Namespace.name`) and the reason
//                     strings written in the runtime (`harness versions diff` compares two versions by it)
//
//   node package_snapshot.mjs DIR     print surfaceOf(DIR) as JSON (DIR holds package.json and dist/)
//
// The values come from running dist/index.umd.js in a node:vm context with a minimal window (the bundle
// touches a few browser globals while it loads; each missing one becomes an empty class). The names are
// checked against the `export {...}` clause of dist/index.esm.js, the file bundlers import.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const MAX_STUBBED_GLOBALS = 30;

export class SnapshotError extends Error {}

function fail(message) {
  throw new SnapshotError(message);
}

function freshWindow(stubs) {
  const quiet = { log() {}, info() {}, warn() {}, error() {}, debug() {} };
  const sandbox = {
    console: quiet,
    setTimeout, clearTimeout, setInterval, clearInterval, queueMicrotask,
    URL, TextEncoder, TextDecoder, Blob, atob, btoa, performance,
    crypto: globalThis.crypto,
    navigator: { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36' },
    document: { createElement: () => ({}), addEventListener() {} },
    location: { href: 'http://localhost/', origin: 'http://localhost', protocol: 'http:', hostname: 'localhost' },
  };
  for (const name of stubs) sandbox[name] = class {};
  sandbox.window = sandbox;
  sandbox.self = sandbox;
  sandbox.globalThis = sandbox;
  return vm.createContext(sandbox);
}

// Runs the UMD bundle and returns its module object (the `WebVideoSDK` global it defines).
function loadUmd(file) {
  const source = fs.readFileSync(file, 'utf8');
  const stubs = [];
  for (;;) {
    const context = freshWindow(stubs);
    try {
      vm.runInContext(source, context, { filename: file });
      return context.WebVideoSDK;
    } catch (error) {
      const missing = /^(\w+) is not defined$/.exec(error?.message ?? '');
      if (error?.name !== 'ReferenceError' || !missing || stubs.length >= MAX_STUBBED_GLOBALS) {
        fail(`${file} did not load in the minimal window (stubbed: ${stubs.join(', ') || 'none'}): ${error}`);
      }
      stubs.push(missing[1]);
    }
  }
}

// The names in the trailing `export{a as B,...}` clause of the ESM build.
function esmExportNames(file) {
  const source = fs.readFileSync(file, 'utf8');
  const clause = /export\s*\{([^}]*)\}\s*;?\s*(?:\/\/[^\n]*\s*)?$/.exec(source);
  if (!clause) fail(`${file}: no trailing export clause found`);
  return clause[1].split(',').map((item) => item.trim().split(/\s+as\s+/).pop()).filter(Boolean).sort();
}

// The typings files index.d.ts re-exports with `export *`.
function typingsFiles(typesDir) {
  const index = fs.readFileSync(path.join(typesDir, 'index.d.ts'), 'utf8');
  return [...index.matchAll(/^export \* from '\.\/([\w-]+)';/gm)].map((match) => `${match[1]}.d.ts`);
}

const withoutComments = (text) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');

// Enum name -> members (name -> value as written) that the typings declare.
function typingsEnums(typesDir) {
  const enums = {};
  for (const file of typingsFiles(typesDir)) {
    const text = withoutComments(fs.readFileSync(path.join(typesDir, file), 'utf8'));
    for (const match of text.matchAll(/^export (?:declare )?(?:const )?enum (\w+)\s*\{([^}]*)\}/gm)) {
      const members = {};
      let next = 0;
      for (const item of match[2].split(',').map((part) => part.trim()).filter(Boolean)) {
        const [, single, double, bare, written] = /^(?:'([^']+)'|"([^"]+)"|([\w$]+))\s*(?:=\s*([\s\S]+))?$/.exec(item) ?? [];
        const key = single ?? double ?? bare;
        if (!key) continue;
        const literal = written?.trim();
        const value = literal === undefined ? next : /^-?\d+$/.test(literal) ? Number(literal) : literal.replace(/^['"]|['"]$/g, '');
        members[key] = value;
        next = typeof value === 'number' ? value + 1 : next;
      }
      enums[match[1]] = members;
    }
  }
  return enums;
}

function isEnum(value) {
  return value !== null && typeof value === 'object' && Object.values(value).every((member) => ['string', 'number'].includes(typeof member));
}

export function snapshotOf(packageDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  const dist = path.join(packageDir, 'dist');
  if (!fs.existsSync(path.join(dist, 'index.umd.js'))) fail(`${packageDir} is not an installed @zoom/videosdk (no dist/index.umd.js)`);
  const umd = loadUmd(path.join(dist, 'index.umd.js'));
  const names = Object.keys(umd).sort();
  const esmNames = esmExportNames(path.join(dist, 'index.esm.js'));
  if (names.join() !== esmNames.join()) fail(`the UMD and ESM builds export different names:\n  umd ${names}\n  esm ${esmNames}`);
  const enums = {};
  for (const name of names) {
    if (name === 'default') continue;
    if (!isEnum(umd[name])) fail(`${name} is exported but is not an enum of strings and numbers; extend this script`);
    enums[name] = { ...umd[name] };
  }
  const declared = Object.keys(typingsEnums(path.join(dist, 'types'))).sort();
  return {
    package: manifest.name,
    version: manifest.version,
    source: 'dist/index.umd.js run in a node:vm window; names checked against dist/index.esm.js',
    exports: names,
    default: { VERSION: umd.default.VERSION },
    typings_only_enums: declared.filter((name) => !(name in enums)),
    enums,
  };
}

// `Namespace.function` for every function a `declare namespace` of the typings declares, and
// `Class.method` for the methods of the classes they declare.
function declaredMethods(typesDir) {
  const found = new Set();
  for (const file of fs.readdirSync(typesDir).filter((name) => name.endsWith('.d.ts')).sort()) {
    let owner = null;
    let kind = null;
    for (const line of withoutComments(fs.readFileSync(path.join(typesDir, file), 'utf8')).split('\n')) {
      const opened = /^(?:export )?(?:declare )?(?:abstract )?(namespace|class) (\w+)/.exec(line);
      if (opened) [, kind, owner] = opened;
      else if (/^\}/.test(line)) owner = null;
      else if (owner && kind === 'namespace') {
        const fn = /^ {2}function (\w+)/.exec(line);
        if (fn) found.add(`${owner}.${fn[1]}`);
      } else if (owner && kind === 'class') {
        const method = /^ {2}(?:static |abstract |async )*(\w+)\s*(?:<[^>]*>)?\(/.exec(line);
        if (method && method[1] !== 'constructor') found.add(`${owner}.${method[1]}`);
      }
    }
  }
  return [...found].sort();
}

// Walks from `start` in `step` direction over a string literal that begins (or ends) at `start`.
function skipString(source, start, step) {
  const quote = source[start];
  let i = start + step;
  while (i >= 0 && i < source.length) {
    if (source[i] === quote && source[i - 1] !== '\\') return i;
    i += step;
  }
  return i;
}

const OPEN = '{([';
const CLOSE = '})]';
const QUOTES = '"\'`';
const WINDOW = 4000;

// The object literal around position `at`: [start of '{', end after '}'], or null.
function enclosingObject(source, at) {
  let depth = 0;
  let start = -1;
  for (let i = at - 1; i >= Math.max(0, at - WINDOW); i -= 1) {
    const c = source[i];
    if (QUOTES.includes(c)) i = skipString(source, i, -1);
    else if (CLOSE.includes(c)) depth += 1;
    else if (OPEN.includes(c)) {
      if (depth === 0) { start = c === '{' ? i : -1; break; }
      depth -= 1;
    }
  }
  if (start < 0) return null;
  depth = 0;
  for (let i = at; i < Math.min(source.length, at + WINDOW); i += 1) {
    const c = source[i];
    if (QUOTES.includes(c)) i = skipString(source, i, 1);
    else if (OPEN.includes(c)) depth += 1;
    else if (CLOSE.includes(c)) {
      if (depth === 0) return c === '}' ? [start, i + 1] : null;
      depth -= 1;
    }
  }
  return null;
}

// The object's own `key:value` texts (not those of nested objects).
function topLevelFields(text) {
  const fields = {};
  let depth = 0;
  let from = 1;
  const take = (end) => {
    const part = text.slice(from, end);
    const match = /^\s*([\w$]+)\s*:\s*([\s\S]*)$/.exec(part);
    if (match) fields[match[1]] = match[2].trim();
  };
  for (let i = 1; i < text.length - 1; i += 1) {
    const c = text[i];
    if (QUOTES.includes(c)) i = skipString(text, i, 1);
    else if (OPEN.includes(c)) depth += 1;
    else if (CLOSE.includes(c)) depth -= 1;
    else if (c === ',' && depth === 0) { take(i); from = i + 1; }
  }
  take(text.length - 1);
  return fields;
}

const literal = (text) => (text && /^"[^"\\]*"$/.test(text) ? text.slice(1, -1) : null);

// The reason strings the runtime writes, each with the type and errorCode written beside it in the same
// object literal: `errorCode` as the ExceptionCode member it names (`X.MEMBER` -> MEMBER), or a number; `type`
// as a string, resolved when the minifier bound it to a single string constant. A literal reading of the
// minified file, not an evaluation: a reason assembled at run time is not here.
function runtimeReasons(packageDir) {
  const source = fs.readFileSync(path.join(packageDir, 'dist', 'index.esm.js'), 'utf8');
  const constants = new Map();
  for (const match of source.matchAll(/[,;{(\s](?:var |let |const )?([\w$]+)="([A-Z][A-Z0-9_]*)"(?=[,;)])/g)) {
    const seen = constants.get(match[1]);
    constants.set(match[1], seen === undefined || seen === match[2] ? match[2] : null);
  }
  const resolve = (text) => literal(text) ?? (text && constants.get(text)) ?? null;
  const found = new Map();
  for (const match of source.matchAll(/[{,]reason:"((?:[^"\\]|\\.)*)"/g)) {
    const span = enclosingObject(source, match.index + 1);
    const fields = span ? topLevelFields(source.slice(...span)) : {};
    const code = fields.errorCode;
    const errorCode = code === undefined ? null : /^\d+$/.test(code) ? Number(code) : /^[\w$]+\.([A-Z][A-Z0-9_]*)$/.exec(code)?.[1] ?? null;
    const entry = {
      reason: JSON.parse(`"${match[1]}"`),
      type: resolve(fields.type),
      errorCode,
    };
    if (fields.subCode !== undefined) entry.subCode = /^\d+$/.test(fields.subCode) ? Number(fields.subCode) : null;
    found.set(JSON.stringify(entry), entry);
  }
  return [...found.values()].sort((a, b) => String(a.errorCode).localeCompare(String(b.errorCode)) || a.reason.localeCompare(b.reason));
}

export function surfaceOf(packageDir) {
  const snapshot = snapshotOf(packageDir);
  const typesDir = path.join(packageDir, 'dist', 'types');
  return {
    ...snapshot,
    typings_enums: typingsEnums(typesDir),
    methods: declaredMethods(typesDir),
    reasons: runtimeReasons(packageDir),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir] = process.argv.slice(2);
  try {
    if (!dir) fail('usage: node package_snapshot.mjs PACKAGE_DIR');
    process.stdout.write(`${JSON.stringify(surfaceOf(path.resolve(dir)))}\n`);
  } catch (error) {
    console.error(`package_snapshot: ${error instanceof SnapshotError ? error.message : error?.stack ?? error}`);
    process.exit(2);
  }
}
