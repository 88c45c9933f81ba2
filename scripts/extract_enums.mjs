// Extract the runtime named exports of the installed @zoom/videosdk (every enum, member by member) and
// write what the SDK double needs so that it can stand in for the package without it:
//
//   harness/web/double/src/core/enums.js             the enums as plain ES module constants (committed)
//   harness/web/double/test/package-exports.json     the snapshot the double's tests compare against
//
// The package is only read here, never at run time. Regenerate after changing the pinned version
// (fixtures/package.json, then `npm ci` in fixtures/):
//
//   node scripts/extract_enums.mjs            write both files
//   node scripts/extract_enums.mjs --check    exit 1 when either committed file differs from the package
//   node scripts/extract_enums.mjs --print    print the package's snapshot as JSON, write nothing
//   ... --package DIR                         read another install of the package (default fixtures/node_modules/@zoom/videosdk)
//
// The values come from running dist/index.umd.js in a node:vm context with a minimal window (the bundle
// touches a few browser globals while it loads; each missing one becomes an empty class). The names are
// checked against the `export {...}` clause of dist/index.esm.js, the file bundlers import.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_PACKAGE = path.join(ROOT, 'fixtures', 'node_modules', '@zoom', 'videosdk');
const ENUMS_JS = path.join(ROOT, 'harness', 'web', 'double', 'src', 'core', 'enums.js');
const SNAPSHOT = path.join(ROOT, 'harness', 'web', 'double', 'test', 'package-exports.json');
// ExceptionCode is built by src/core/errors.js from the project's one error catalog (exception-codes.json);
// the snapshot still holds the package's values so the tests keep the catalog honest.
const OWNED_ELSEWHERE = new Set(['ExceptionCode']);
const MAX_STUBBED_GLOBALS = 30;

function fail(message) {
  console.error(`extract_enums: ${message}`);
  process.exit(2);
}

function parseArgs(argv) {
  const args = { mode: 'write', packageDir: DEFAULT_PACKAGE };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--check') args.mode = 'check';
    else if (argv[i] === '--print') args.mode = 'print';
    else if (argv[i] === '--package') args.packageDir = path.resolve(argv[(i += 1)] ?? fail('--package needs a directory'));
    else fail(`unknown argument ${argv[i]} (use --check, --print, --package DIR)`);
  }
  return args;
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

// Enum names the typings declare (index.d.ts and the files it re-exports with `export *`).
function typingsEnumNames(typesDir) {
  const index = fs.readFileSync(path.join(typesDir, 'index.d.ts'), 'utf8');
  const files = [...index.matchAll(/^export \* from '\.\/([\w-]+)';/gm)].map((match) => `${match[1]}.d.ts`);
  const names = new Set();
  for (const file of files) {
    const text = fs.readFileSync(path.join(typesDir, file), 'utf8');
    for (const match of text.matchAll(/^export (?:declare )?(?:const )?enum (\w+)/gm)) names.add(match[1]);
  }
  return [...names].sort();
}

function isEnum(value) {
  return value !== null && typeof value === 'object' && Object.values(value).every((member) => ['string', 'number'].includes(typeof member));
}

function snapshotOf(packageDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  const dist = path.join(packageDir, 'dist');
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
  const declared = typingsEnumNames(path.join(dist, 'types'));
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

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

const quoted = (text) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function memberLine(key, value) {
  const property = IDENTIFIER.test(key) || /^(0|[1-9]\d*)$/.test(key) ? key : quoted(key);
  return `  ${property}: ${typeof value === 'string' ? quoted(value) : value},`;
}

function enumsModule(snapshot) {
  const lines = [
    '// GENERATED by `node scripts/extract_enums.mjs` from the installed package: do not edit, regenerate.',
    `// The runtime enums of ${snapshot.package} ${snapshot.version}, member for member, in the package's key order`,
    '// (numeric enums map both ways, as TypeScript compiles them; so do string enums the package builds from',
    '// computed members, e.g. ReconnectReason). ExceptionCode is not here: src/core/errors.js builds it from',
    '// the error catalog.',
  ];
  for (const [name, members] of Object.entries(snapshot.enums)) {
    if (OWNED_ELSEWHERE.has(name)) continue;
    lines.push('', `export const ${name} = Object.freeze({`);
    for (const [key, value] of Object.entries(members)) lines.push(memberLine(key, value));
    lines.push('});');
  }
  return `${lines.join('\n')}\n`;
}

function outputs(snapshot) {
  return new Map([
    [ENUMS_JS, enumsModule(snapshot)],
    [SNAPSHOT, `${JSON.stringify(snapshot, null, 2)}\n`],
  ]);
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(path.join(args.packageDir, 'dist', 'index.umd.js'))) {
    fail(`${args.packageDir} is not an installed @zoom/videosdk (run \`npm ci\` in fixtures/)`);
  }
  const snapshot = snapshotOf(args.packageDir);
  if (args.mode === 'print') {
    process.stdout.write(`${JSON.stringify(snapshot)}\n`);
    return;
  }
  const stale = [];
  for (const [file, text] of outputs(snapshot)) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    if (current === text) continue;
    stale.push(path.relative(ROOT, file));
    if (args.mode === 'write') fs.writeFileSync(file, text);
  }
  const enumCount = Object.keys(snapshot.enums).length;
  if (args.mode === 'check') {
    if (stale.length) {
      console.error(`out of date with ${snapshot.package} ${snapshot.version}: ${stale.join(', ')} (run node scripts/extract_enums.mjs)`);
      process.exit(1);
    }
    console.log(`up to date with ${snapshot.package} ${snapshot.version}: ${enumCount} enums`);
    return;
  }
  console.log(`${snapshot.package} ${snapshot.version}: default + ${enumCount} enums; wrote ${stale.join(', ') || 'nothing (unchanged)'}`);
}

main();
