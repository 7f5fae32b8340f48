// Global setup of the CDK run: infra/ synthesized once, as `appsync-local serve --cdk` does it, into a folder removed
// at the end; every test file's server then serves the stack's template (test/e2e/helpers/local-target.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { stackWithApi, synthesizeCdkApp } from '../../local/template/cdk';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'notes-cdk-e2e-'));
  try {
    await synthesizeCdkApp(PROJECT_ROOT, outDir, (line) => console.log(line));
    project.provide('cdkTemplate', stackWithApi(outDir).templateFile);
  } catch (error) {
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
  return () => rm(outDir, { recursive: true, force: true });
}
