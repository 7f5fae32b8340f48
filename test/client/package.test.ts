// The SDK as a package: built as `npm run build -w client` builds it, then used the way an app would use it, through
// its name, from small consumer projects type-checked by tsc under NodeNext (Node's own ESM rules) and bundler (Vite,
// esbuild, webpack) resolution, and imported by plain Node.
import { execFile } from 'node:child_process';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const PACKAGE_DIR = path.join(ROOT, 'client');
const CONSUMERS_DIR = path.join(ROOT, 'node_modules/.cache/sdk-consumers');

// What an app writes: the SDK's own client and errors, and its documents in Apollo Client, urql and graphql-request.
// Nothing is cast; every `const x: T` line fails to compile if the package's types drift.
const CONSUMER_SOURCE = `
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { Client, fetchExchange } from '@urql/core';
import { GraphQLClient } from 'graphql-request';
import {
  CreateNoteDocument,
  GetNoteDocument,
  ListNotesDocument,
  createNotesClient,
  hasErrorType,
  isKnownError,
  newClientToken,
  type NoteChange,
  type NotesError,
  type RealtimeError,
} from '@appsync-notes/client';

export async function useTheSdk(error: unknown): Promise<string[]> {
  const notes = createNotesClient({ url: 'https://example.invalid/graphql', getToken: () => 'token' });
  const withUrl = await notes.getNote({ noteId: 'n', withDownloadUrl: true });
  const url: string | undefined = withUrl?.attachment ? withUrl.attachment.downloadUrl : undefined;
  const plain = await notes.getNote({ noteId: 'n' });
  // @ts-expect-error downloadUrl was not requested, so the type has no such field
  const absent = plain?.attachment?.downloadUrl;
  const page = await notes.listNotes({ limit: 10, withDownloadUrl: true });
  const urls: string[] = page.items.flatMap((item) => (item.attachment ? [item.attachment.downloadUrl] : []));
  const created = await notes.createNote({ input: { content: 'x', clientToken: newClientToken() } });
  const uploaded = await notes.uploadAttachment(new Uint8Array([1]), {
    fileName: 'a.txt',
    contentType: 'text/plain',
    onProgress: ({ loaded, total }) => void (loaded / total),
  });
  const conflict = hasErrorType(error, 'ConflictError');
  const current: number | undefined = conflict?.errorInfo.currentVersion;
  // AppSync's own refusals (validation, variables) carry no errorType, so the fallback's is optional.
  const describe = (entry: NotesError): string =>
    isKnownError(entry) && entry.errorType === 'ConflictError'
      ? String(entry.errorInfo.currentVersion)
      : (entry.errorType ?? entry.message);
  return [url ?? '', String(absent), ...urls, created.noteId, uploaded.key, String(current), describe({ message: 'refused' })];
}

export function useNoteChanges(): () => void {
  const notes = createNotesClient({ url: 'https://example.invalid/graphql', getToken: () => 'token' });
  const subscription = notes.subscribeToNoteChanges({
    onChange: (change: NoteChange) => {
      const kind: 'CREATED' | 'UPDATED' | 'DELETED' = change.kind;
      const version: number = change.note.version;
      void [kind, version];
    },
    onReconnect: () => {},
    onError: (error: RealtimeError) => void error.errors[0]?.errorType,
  });
  const ready: Promise<void> = subscription.ready;
  void ready;
  return () => subscription.unsubscribe();
}

export async function useOtherClients(): Promise<Array<string | number | undefined>> {
  const apollo = new ApolloClient({ link: new HttpLink({ uri: 'https://example.invalid/graphql' }), cache: new InMemoryCache() });
  const listed = await apollo.query({ query: ListNotesDocument, variables: { limit: 5 } });
  const firstId: string | undefined = listed.data?.listNotes.items[0]?.noteId;

  const urql = new Client({ url: 'https://example.invalid/graphql', exchanges: [fetchExchange] });
  const read = await urql.query(GetNoteDocument, { noteId: 'n' }).toPromise();
  const version: number | undefined = read.data?.getNote?.version;

  const request = new GraphQLClient('https://example.invalid/graphql');
  const made = await request.request(CreateNoteDocument, { input: { content: 'x' } });
  const content: string = made.createNote.content;
  return [firstId, version, content];
}
`;

const RESOLUTIONS = {
  nodenext: { module: 'NodeNext', moduleResolution: 'NodeNext' },
  bundler: { module: 'ESNext', moduleResolution: 'Bundler' },
} as const;

async function writeConsumer(name: keyof typeof RESOLUTIONS): Promise<string> {
  const dir = path.join(CONSUMERS_DIR, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, type: 'module' }));
  await writeFile(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        ...RESOLUTIONS[name],
        target: 'ES2022',
        lib: ['ES2022', 'DOM'],
        types: [],
        strict: true,
        noEmit: true,
        verbatimModuleSyntax: true,
        erasableSyntaxOnly: true,
        skipLibCheck: true,
      },
      files: ['consumer.ts'],
    }),
  );
  await writeFile(path.join(dir, 'consumer.ts'), CONSUMER_SOURCE);
  return dir;
}

/**
 * A project of only the package's declaration files, checked in full (a consumer's skipLibCheck would skip them),
 * with the globals of a browser (the DOM lib) or of Node (@types/node) but not both.
 */
async function writeDeclarationsCheck(globals: 'dom' | 'node'): Promise<string> {
  const dir = path.join(CONSUMERS_DIR, `declarations-${globals}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const dist = path.join(PACKAGE_DIR, 'dist');
  const files = (await readdir(dist, { recursive: true })).filter((file) => file.endsWith('.d.ts'));
  const environment = globals === 'dom' ? { lib: ['ES2022', 'DOM'], types: [] } : { lib: ['ES2022'], types: ['node'] };
  await writeFile(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { ...RESOLUTIONS.nodenext, ...environment, target: 'ES2022', strict: true, noEmit: true },
      files: files.map((file) => path.relative(dir, path.join(dist, file))),
    }),
  );
  return dir;
}

// Parsed files shared between the checks: they all read the same libs, @types/node and packages, and parsing those
// was most of what five separate `tsc -p` runs cost. A parse depends on the target, the file's module format and the
// module options (which decide whether a file without imports is a module), so those are part of the key. The
// consumers' own files are written anew for each check, and always read afresh.
const parsedFiles = new Map<string, ts.SourceFile | undefined>();

/** What `tsc -p dir` reports, as its text (empty when the project checks). */
function typecheck(dir: string): string {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(dir, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  )!;
  const host = ts.createCompilerHost(config.options);
  const parse = host.getSourceFile.bind(host);
  const { module, moduleDetection } = config.options;
  host.getSourceFile = (fileName, settings, onError, shouldCreate) => {
    if (path.resolve(fileName).startsWith(CONSUMERS_DIR)) return parse(fileName, settings, onError, shouldCreate);
    const key = JSON.stringify([fileName, settings, module, moduleDetection]);
    if (!parsedFiles.has(key)) parsedFiles.set(key, parse(fileName, settings, onError, shouldCreate));
    return parsedFiles.get(key);
  };
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, host });
  const diagnostics = [...config.errors, ...ts.getPreEmitDiagnostics(program)];
  return ts.formatDiagnostics(diagnostics, { ...host, getNewLine: () => '\n' });
}

describe('the SDK package', () => {
  beforeAll(async () => {
    await rm(path.join(PACKAGE_DIR, 'dist'), { recursive: true, force: true });
    await run('npm', ['run', 'build', '-w', 'client'], { cwd: ROOT });
  }, 120_000);

  it('declares every package its built code and declarations import', async () => {
    const manifest = JSON.parse(await readFile(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
    };
    const declared = new Set([
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}),
    ]);
    const files = (await readdir(path.join(PACKAGE_DIR, 'dist'), { recursive: true })).filter((f) =>
      /\.(js|d\.ts)$/.test(f),
    );
    const imported = new Set<string>();
    for (const file of files) {
      const text = await readFile(path.join(PACKAGE_DIR, 'dist', file), 'utf8');
      for (const [, specifier] of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
        if (specifier.startsWith('.')) {
          expect(specifier, `${file} imports ${specifier}`).toMatch(/\.js$/);
          continue;
        }
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
        imported.add(name);
      }
    }
    // The documents' types come from @graphql-typed-document-node/core, whose own peer is graphql.
    expect([...imported].sort()).toEqual(['@graphql-typed-document-node/core']);
    for (const name of imported) expect(declared, name).toContain(name);
    expect(declared).toContain('graphql');
  });

  it('type-checks in a consumer that resolves modules as Node does (NodeNext)', async () => {
    expect(typecheck(await writeConsumer('nodenext'))).toBe('');
  }, 120_000);

  it('type-checks in a consumer that resolves modules as a bundler does', async () => {
    expect(typecheck(await writeConsumer('bundler'))).toBe('');
  }, 120_000);

  it('ships declarations that check in full with the globals of a browser', async () => {
    expect(typecheck(await writeDeclarationsCheck('dom'))).toBe('');
  }, 120_000);

  it('ships declarations that check in full with the globals of Node and no DOM', async () => {
    expect(typecheck(await writeDeclarationsCheck('node'))).toBe('');
  }, 120_000);

  it('fails a consumer that misuses its types (the check above can fail)', async () => {
    const dir = await writeConsumer('bundler');
    await writeFile(
      path.join(dir, 'consumer.ts'),
      `import { createNotesClient } from '@appsync-notes/client';
       const notes = createNotesClient({ url: 'u', getToken: () => 't' });
       export const url: string | undefined = (await notes.getNote({ noteId: 'n' }))?.attachment?.downloadUrl;`,
    );
    expect(typecheck(dir)).toMatch(/downloadUrl/);
  }, 120_000);

  it('imports in plain Node by its name and makes working values', async () => {
    const script = `
      import { createNotesClient, newClientToken, clientTokenTime, ListNotesDocument } from '@appsync-notes/client';
      const client = createNotesClient({ url: 'http://127.0.0.1:9/graphql', getToken: () => 't' });
      const token = newClientToken();
      console.log(JSON.stringify({
        methods: Object.keys(client).sort(),
        token: token.length,
        fresh: Math.abs(clientTokenTime(token) - Date.now()) < 60000,
        document: ListNotesDocument.kind,
      }));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT });
    expect(JSON.parse(stdout)).toEqual({
      methods: [
        'close',
        'closeNoteSubscriptions',
        'createNote',
        'createUploadUrl',
        'deleteNote',
        'getNote',
        'listNotes',
        'subscribeToNoteChanges',
        'updateNote',
        'uploadAttachment',
      ],
      token: 26,
      fresh: true,
      document: 'Document',
    });
  });
});
