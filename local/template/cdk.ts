// `serve --cdk [app dir]`: the CDK app synthesized with its own pinned CDK CLI (the one in its node_modules, else
// this package's) into a cloud assembly, and the stack that declares the GraphQL API chosen from its manifest.
// NodejsFunction bundles with the local esbuild, so this works offline.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

function cdkCli(appDir: string): string {
  for (const from of [path.join(appDir, 'package.json'), import.meta.filename]) {
    try {
      const manifest = createRequire(from).resolve('aws-cdk/package.json');
      return path.join(path.dirname(manifest), 'bin', 'cdk');
    } catch {
      // not installed there: try the next
    }
  }
  throw new Error(`No aws-cdk CLI found for ${appDir}: npm install --save-dev aws-cdk`);
}

/** Runs `cdk synth` for the app in `appDir` into `outDir`; the CLI's own output goes to `log`. */
export async function synthesizeCdkApp(appDir: string, outDir: string, log: (line: string) => void): Promise<void> {
  if (!existsSync(path.join(appDir, 'cdk.json'))) throw new Error(`${appDir} has no cdk.json: not a CDK app`);
  const cli = cdkCli(appDir);
  log(`cdk synth in ${appDir} (${path.relative(appDir, cli)}) into ${outDir}`);
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'synth', '--output', outDir, '--quiet', '--no-notices'], {
      cwd: appDir,
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => output.push(chunk.toString());
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) {
    throw new Error(
      `cdk synth failed (exit ${String(code)}):\n${output.join('').trim().split('\n').slice(-20).join('\n')}`,
    );
  }
  // A deployed asset has no package.json above it, so its .js files are CommonJS (NodejsFunction's default bundle);
  // locally the assembly may sit inside an ES module package, whose package.json would decide otherwise.
  await writeFile(path.join(outDir, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
}

export interface SynthesizedStack {
  stackName: string;
  templateFile: string;
}

/**
 * The stack of a cloud assembly that declares an AppSync GraphQL API (`stack` chooses one by name when several
 * do). https://docs.aws.amazon.com/cdk/v2/guide/deploy.html (the cloud assembly: manifest.json, templates, assets)
 */
export function stackWithApi(outDir: string, stack?: string): SynthesizedStack {
  const manifest = JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8')) as {
    artifacts?: Record<string, { type?: string; displayName?: string; properties?: Record<string, unknown> }>;
  };
  const stacks: SynthesizedStack[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack' || typeof artifact.properties?.templateFile !== 'string') continue;
    const stackName = String(artifact.properties.stackName ?? artifact.displayName ?? id);
    stacks.push({ stackName, templateFile: path.join(outDir, artifact.properties.templateFile) });
  }
  if (stack) {
    const chosen = stacks.find((s) => s.stackName === stack);
    if (!chosen)
      throw new Error(`--stack ${stack}: the app has the stacks ${stacks.map((s) => s.stackName).join(', ')}`);
    return chosen;
  }
  const withApi = stacks.filter((s) => readFileSync(s.templateFile, 'utf8').includes('"AWS::AppSync::GraphQLApi"'));
  if (withApi.length === 1) return withApi[0]!;
  if (withApi.length === 0) throw new Error(`No stack of the CDK app declares an AppSync GraphQL API`);
  throw new Error(
    `${withApi.length} stacks declare a GraphQL API (${withApi.map((s) => s.stackName).join(', ')}): choose one with --stack`,
  );
}
