// Where the repository's node scripts find an installed @zoom/videosdk when not given `--package DIR`:
// $HARNESS_VIDEOSDK_DIR (the Python side sets it when it runs a script), else the folder that
// `harness versions path` prints: the pinned version in the per-user package cache, installed on demand
// (the harness of this checkout's .venv, else the one on PATH).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function defaultPackageDir() {
  if (process.env.HARNESS_VIDEOSDK_DIR) return process.env.HARNESS_VIDEOSDK_DIR;
  const local = path.join(ROOT, '.venv', 'bin', 'harness');
  const harness = fs.existsSync(local) ? local : 'harness';
  try {
    return execFileSync(harness, ['versions', 'path'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  } catch (error) {
    throw new Error(`cannot locate @zoom/videosdk: \`${harness} versions path\` failed (${error.message.split('\n')[0]}); give --package DIR or set HARNESS_VIDEOSDK_DIR`);
  }
}

// The extractors' command line: `--check`, `--print` (else write), `--package DIR` (else defaultPackageDir()).
// `fail(message)` ends the script with its one line.
export function extractorArgs(argv, fail) {
  const args = { mode: 'write', packageDir: null };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--check') args.mode = 'check';
    else if (argv[i] === '--print') args.mode = 'print';
    else if (argv[i] === '--package') args.packageDir = path.resolve(argv[(i += 1)] ?? fail('--package needs a directory'));
    else fail(`unknown argument ${argv[i]} (use --check, --print, --package DIR)`);
  }
  if (args.packageDir === null) {
    try {
      args.packageDir = defaultPackageDir();
    } catch (error) {
      fail(error.message);
    }
  }
  return args;
}
