// Environment for the attachment Lambdas under test. Their S3 client reads it at import time, so call this at the top
// of the test file, before `await import('../../functions/...')`. Test files share a process (vitest.config.ts): the
// functions are imported afresh for each file, and the environment is given back when the file ends.
import { afterAll, vi } from 'vitest';

export const TEST_BUCKET = 'notes-attachments-test';
export const TEST_REGION = 'eu-west-1';
/** Nothing listens on the discard port: a call that should have been refused before reaching S3 fails loudly. */
export const UNREACHABLE_S3_ENDPOINT = 'http://127.0.0.1:9';
export const TEST_CREDENTIALS = { accessKeyId: 'AKIAFUNCTIONTESTS', secretAccessKey: 'function-tests-secret-key' };

export function useFunctionEnv(extra: Record<string, string> = {}): void {
  const before = { ...process.env };
  afterAll(() => {
    for (const name of Object.keys(process.env)) if (!(name in before)) delete process.env[name];
    Object.assign(process.env, before);
  });
  vi.resetModules();
  Object.assign(process.env, {
    BUCKET_NAME: TEST_BUCKET,
    AWS_REGION: TEST_REGION,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    // Tests run on Node 20; the functions themselves deploy on Node 22.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
}
