// From a template file (or a CDK app) to what the local server serves: the template read, the text it holds inline
// written to files, and API key values kept stable in the data folder so clients keep working across restarts.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LocalApiConfig } from '../server/serve';
import { writeFileAtomic } from '../stores/shared';
import { parseTemplate } from './parse';
import { readTemplate, type TemplateApi } from './read';

/** The region and account the local server runs in (serve.ts): what pseudo parameters resolve to. */
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT_ID = '000000000000';

export interface TemplateSource {
  /** The template file (JSON or YAML). */
  template: string;
  parameters?: Record<string, string>;
  /** The GraphQLApi to serve, when the template declares several. */
  api?: string;
  /** AWS::StackName; by default the file's name without `.template.json`, `.yaml`, ... */
  stackName?: string;
}

export interface LoadedTemplate {
  /** The parts of a LocalApiConfig the template gives. */
  config: Pick<LocalApiConfig, 'definition' | 'rootDir' | 'apiKeys' | 'bucket'>;
  /** One line per resource skipped and per setting not emulated. */
  notes: string[];
}

/** An AppSync-shaped key: `da2-` and 26 lower-case letters and digits. */
function newApiKey(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return `da2-${[...randomBytes(26)].map((byte) => alphabet[byte % alphabet.length]).join('')}`;
}

async function readApiKeys(file: string | undefined): Promise<Record<string, string>> {
  if (!file) return {};
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

export function stackNameOf(templateFile: string): string {
  return path.basename(templateFile).replace(/(\.template)?\.(json|ya?ml|template)$/i, '');
}

/**
 * Reads a template for serving. `workDir` receives the inline schema and code (`<workDir>/generated`) and the API
 * keys (`<workDir>/api-keys.json`); a data folder keeps both across restarts.
 */
export async function loadTemplate(source: TemplateSource, workDir: string): Promise<LoadedTemplate> {
  const templateFile = path.resolve(source.template);
  const text = await readFile(templateFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new Error(`Cannot read the template ${source.template}: ${error.code ?? error.message}`);
  });
  const template = parseTemplate(text, source.template);
  const keysFile = path.join(workDir, 'api-keys.json');
  const keys = await readApiKeys(keysFile);
  let newKeys = false;
  const read: TemplateApi = readTemplate({
    template,
    templateDir: path.dirname(templateFile),
    generatedDir: path.join(workDir, 'generated'),
    parameters: source.parameters,
    stackName: source.stackName ?? stackNameOf(templateFile),
    api: source.api,
    region: LOCAL_REGION,
    accountId: LOCAL_ACCOUNT_ID,
    apiKeyValue: (logicalId) => {
      if (!keys[logicalId]) {
        keys[logicalId] = newApiKey();
        newKeys = true;
      }
      return keys[logicalId];
    },
  });
  for (const [file, content] of Object.entries(read.files)) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  if (newKeys) {
    await mkdir(workDir, { recursive: true });
    await writeFileAtomic(keysFile, `${JSON.stringify(keys, null, 2)}\n`);
  }
  return {
    config: {
      definition: read.definition,
      rootDir: path.dirname(templateFile),
      apiKeys: read.apiKeys,
      bucket: read.bucket && { name: read.bucket.name, corsOrigins: [], lifecycleRules: read.bucket.lifecycleRules },
    },
    notes: read.notes,
  };
}
