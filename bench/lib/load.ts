// A small closed-loop load generator: N clients over keep-alive connections, each sending its next request as soon as
// the previous answer arrived, for a fixed time. Every answer is checked (HTTP 200, the field non-null, no GraphQL
// error): a server answering errors fast must not look fast.
import http from 'node:http';
import { quantileOfSorted } from './stats';

export interface LoadOptions {
  url: string;
  connections: number;
  durationMs: number;
  headers: Record<string, string>;
  /** The JSON body of request number i. */
  body: (i: number) => string;
  /** The root field the response must carry non-null: `{"data":{"<field>":{`. */
  field: string;
}

export interface LoadResult {
  requests: number;
  failures: number;
  firstFailure?: string;
  seconds: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

function post(agent: http.Agent, url: URL, headers: Record<string, string>, body: string) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body).toString() } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const expectedStart = `{"data":{"${options.field}":{`;
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  let sent = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;

  const client = async () => {
    while (performance.now() < deadline) {
      const body = options.body(sent);
      sent += 1;
      const before = performance.now();
      try {
        const { status, text } = await post(agent, url, options.headers, body);
        const ok = status === 200 && text.startsWith(expectedStart) && !text.includes('"errors"');
        if (ok) latencies.push(performance.now() - before);
        else {
          failures += 1;
          firstFailure ??= `HTTP ${status}: ${text.slice(0, 300)}`;
        }
      } catch (error) {
        failures += 1;
        firstFailure ??= String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, client));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length,
    failures,
    firstFailure,
    seconds,
    opsPerSecond: latencies.length / seconds,
    p50Ms: quantileOfSorted(sorted, 0.5),
    p99Ms: quantileOfSorted(sorted, 0.99),
  };
}

/** One request, its parsed JSON answer; for seeding and the single-operation counts. */
export async function graphqlCall(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ status: number; body: { data?: Record<string, unknown> | null; errors?: unknown[] } }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: token },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown> | null } };
}
