// Loads the project's TypeScript without a TypeScript loader: esbuild bundles a module with the project files it
// imports (packages stay imports from node_modules) into node_modules/.cache/appsync-local/modules, and the bundle is
// reused for as long as none of those files changed (by size and modification time). A warm start only stats a few
// dozen files; a TypeScript loader would transform each of them on every start.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const cacheRoot = path.join(projectRoot, 'node_modules/.cache/appsync-local');
// Bumped when the way bundles are built changes.
const FORMAT = 4;
// dynalite and cognito-local (with the aws-sdk v2 it uses) load files by computed paths; esbuild runs a binary.
// node-forge (certificates) and PGlite (relational data sources) are imported only when needed: left out of the
// bundle, they cost a start that does not need them nothing (they were 1.2 MB of its 4.4 MB to read and compile).
const UNBUNDLED_PACKAGES = ['dynalite', 'aws-sdk', 'esbuild', 'vitest', 'tsx', 'node-forge', '@electric-sql/pglite'];

// A file's modification time comes from a coarser clock than Date.now() (measured here: up to 5 ms behind), and some
// filesystems keep whole seconds: a time this close to the build's start may belong to a save made during it.
const MTIME_SLACK_MS = 2000;

function stamp(file) {
  const stat = statSync(file);
  return `${stat.size}:${stat.mtimeMs}`;
}

/** The cached bundle for `entry` if every input still has the size and time it was built from. */
function freshBundle(manifestFile) {
  try {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    if (manifest.format !== FORMAT) return undefined;
    for (const [file, recorded] of Object.entries(manifest.inputs)) if (stamp(file) !== recorded) return undefined;
    statSync(manifest.output);
    return manifest.output;
  } catch {
    return undefined;
  }
}

// Bundled code keeps the URL of the file it came from, so that files it reads beside itself (console assets, worker
// scripts) and packages it resolves (createRequire) are found as they are when it runs from source. The same holds for
// __dirname and __filename, which a config in a CommonJS package may use (the bundle is ESM, where they are not
// defined). esbuild's `define` replaces free references only: never a binding the file declares itself, nor the
// same words inside a string (code that writes code has them). Packages' files are left as they are.
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
      if (args.path.split(path.sep).includes('node_modules')) return undefined;
      const source = await readFile(args.path, 'utf8');
      const loader = /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js';
      if (!/import\.meta\.url|__dirname|__filename/.test(source)) return { contents: source, loader };
      const esbuild = await import('esbuild');
      const { code } = await esbuild.transform(source, {
        loader,
        sourcefile: args.path,
        define: {
          'import.meta.url': JSON.stringify(pathToFileURL(args.path).href),
          __dirname: JSON.stringify(path.dirname(args.path)),
          __filename: JSON.stringify(args.path),
        },
        // As the project's tsconfig.json: ES2022 class fields.
        tsconfigRaw: { compilerOptions: { target: 'ES2022' } },
      });
      return { contents: code, loader: 'js' };
    });
  },
};

// esbuild keeps a service process for later builds (and, after a synchronous build, a thread running another): over
// 100 MB that a server done building never needs again. Builds run through withEsbuild (a synchronous one calls
// releaseEsbuild after it); once none has run for a second, the service stops, and the next build starts it again.
// The count lives on globalThis: the CLI's bundle carries its own copy of this file, and both share one esbuild.
const ESBUILD_IDLE_MS = 1000;
const esbuildState = (globalThis[Symbol.for('appsync-local.esbuild')] ??= { users: 0, idle: undefined });

export async function withEsbuild(use) {
  const esbuild = await import('esbuild');
  esbuildState.users += 1;
  clearTimeout(esbuildState.idle);
  try {
    return await use(esbuild);
  } finally {
    esbuildState.users -= 1;
    releaseEsbuild();
  }
}

/**
 * esbuild for a synchronous build (call releaseEsbuild after it), loaded when first asked for: a start that builds
 * nothing does not load it. The same module `import('esbuild')` gives, so its service is the one withEsbuild stops.
 */
export function esbuildForSync() {
  return createRequire(import.meta.url)('esbuild');
}

export function releaseEsbuild() {
  if (esbuildState.users > 0) return;
  clearTimeout(esbuildState.idle);
  esbuildState.idle = setTimeout(() => {
    if (esbuildState.users === 0) void import('esbuild').then((esbuild) => esbuild.stop());
  }, ESBUILD_IDLE_MS);
  esbuildState.idle.unref();
}

async function build(entry, outfile, manifestFile, options) {
  const started = Date.now();
  const result = await withEsbuild((esbuild) =>
    esbuild.build({
      ...options,
      entryPoints: [entry],
      outfile,
      bundle: true,
      metafile: true,
      write: true,
      logLevel: 'silent',
    }),
  );
  const inputs = {};
  let editedDuringBuild = false;
  for (const input of Object.keys(result.metafile.inputs)) {
    const file = path.resolve(process.cwd(), input);
    inputs[file] = stamp(file);
    editedDuringBuild ||= statSync(file).mtimeMs >= started - MTIME_SLACK_MS;
  }
  // A file saved while esbuild read the inputs may be in the bundle as it was before: this run uses the bundle, but
  // no manifest vouches for it, so the next start builds again instead of keeping the old text for good. Files saved
  // just before the build count too, since their times are not precise enough to tell before from during.
  if (editedDuringBuild) return outfile;
  // Written under a unique name, then renamed: a concurrent start never reads half a manifest.
  const partial = `${manifestFile}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify({ format: FORMAT, entry, output: outfile, inputs }));
  renameSync(partial, manifestFile);
  return outfile;
}

/** Earlier outputs for the same entry, once no starting process can still be about to read them. */
function prune(dir, name) {
  const stale = Date.now() - 60_000;
  for (const file of readdirSync(dir)) {
    if (!file.startsWith(`${name}-`) || file.endsWith('.json')) continue;
    try {
      if (statSync(path.join(dir, file)).mtimeMs < stale) unlinkSync(path.join(dir, file));
    } catch {
      // Removed by another process meanwhile.
    }
  }
}

/**
 * The file esbuild makes of `entry` with `options` (bundle, metafile and the output are set here), rebuilt only when
 * one of its inputs changed. `kind` names the folder of the cache, one per set of options.
 */
export async function cachedBuild(kind, entry, options) {
  const dir = path.join(cacheRoot, kind);
  const key = createHash('sha256').update(entry).digest('hex').slice(0, 12);
  const name = `${path.basename(entry).replace(/\.[cm]?[jt]s$/, '')}-${key}`;
  const manifestFile = path.join(dir, `${name}.json`);
  const output = freshBundle(manifestFile);
  if (output) return output;
  mkdirSync(dir, { recursive: true });
  prune(dir, name);
  // A unique output per build: a process still using the previous one keeps reading a complete file.
  return build(
    entry,
    path.join(dir, `${name}-${Date.now()}-${process.pid}.${options.format === 'esm' ? 'mjs' : 'js'}`),
    manifestFile,
    options,
  );
}

/** The bundle importModule loads for a TypeScript file, built now if it is missing or stale, but not run. */
export function bundleModule(file) {
  return cachedBuild('modules', path.resolve(file), {
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Packages are bundled too (resolving and loading hundreds of small files is most of a start), except those
    // that find files of their own at run time.
    external: UNBUNDLED_PACKAGES,
    // Bundled CommonJS code requires Node's modules and the packages left outside.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    plugins: [keepModuleUrls],
  });
}

/** Imports a module; TypeScript through the bundle cache, JavaScript as it is. */
export async function importModule(file) {
  const entry = path.resolve(file);
  if (!/\.[cm]?ts$/.test(entry)) return import(pathToFileURL(entry).href);
  return import(pathToFileURL(await bundleModule(entry)).href);
}
