// AppSync's EventBridge data source, kept locally: PutEvents appends each event, in EventBridge's own envelope
// (version, id, detail-type, source, account, time, region, resources, detail), to a local event log
// (<dataDir>/eventbridge/<bus>.jsonl), prints one line per event in the server log, and answers with PutEvents' result
// { Entries: [{ EventId } | { ErrorCode, ErrorMessage }], FailedEntryCount }.
// https://docs.aws.amazon.com/appsync/latest/devguide/resolver-reference-eventbridge-js.html (request and result);
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html (10 entries at most, per-entry
// errors, 256 KB per request).
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { isObject, mappingTemplateError } from './request-object';
import type { DataSourceKind } from './types';

const MAX_ENTRIES = 10;
const MAX_REQUEST_BYTES = 256 * 1024;

interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

type Entry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/** What is wrong with one entry, in EventBridge's words, or undefined when it can be put. */
function entryProblem(event: Record<string, unknown>): string | undefined {
  if (typeof event.source !== 'string' || event.source === '') {
    return 'Parameter Source is not valid. Reason: Source is a required argument.';
  }
  if (typeof event.detailType !== 'string' || event.detailType === '') {
    return 'Parameter DetailType is not valid. Reason: DetailType is a required argument.';
  }
  if (!isObject(event.detail)) return 'Detail is malformed.';
  if (
    event.resources !== undefined &&
    !(Array.isArray(event.resources) && event.resources.every((r) => typeof r === 'string'))
  ) {
    return 'Parameter Resources is not valid. Reason: Resources must be a list of ARNs.';
  }
  if (event.time !== undefined && (typeof event.time !== 'string' || Number.isNaN(Date.parse(event.time)))) {
    return 'Parameter Time is not valid. Reason: Time must be an RFC3339 timestamp.';
  }
  return undefined;
}

/** The bus's name from a name or an ARN (`arn:aws:events:region:account:event-bus/name`). */
function busName(eventBus: string): string {
  return eventBus.startsWith('arn:') ? eventBus.slice(eventBus.lastIndexOf('/') + 1) : eventBus;
}

export const eventBridgeKind: DataSourceKind<'AMAZON_EVENTBRIDGE'> = {
  check(name, definition) {
    if (typeof definition.eventBus !== 'string' || busName(definition.eventBus) === '') {
      return [`data source '${name}' (AMAZON_EVENTBRIDGE) names no event bus`];
    }
    return [];
  },
  create(name, definition, host) {
    const bus = busName(definition.eventBus);
    const logFile = host.dataDir && path.join(host.dataDir, 'eventbridge', `${bus}.jsonl`);
    // One write at a time, so concurrent PutEvents never interleave inside a line.
    let writing: Promise<void> = Promise.resolve();
    const record = (events: EventEnvelope[]) => {
      const text = events.map((event) => `${JSON.stringify(event)}\n`).join('');
      writing = writing.then(async () => {
        if (!logFile) return;
        await mkdir(path.dirname(logFile), { recursive: true });
        await appendFile(logFile, text);
      });
      return writing;
    };
    return {
      async invoke(request) {
        if (!isObject(request)) return mappingTemplateError('An EventBridge request must be a JSON object.');
        if (request.operation !== 'PutEvents') {
          return mappingTemplateError(`Unsupported operation '${String(request.operation)}': use 'PutEvents'.`);
        }
        const { events } = request;
        if (!Array.isArray(events) || events.length === 0 || events.length > MAX_ENTRIES) {
          return mappingTemplateError(`'$[events]' must be a list of 1 to ${MAX_ENTRIES} events.`);
        }
        if (Buffer.byteLength(JSON.stringify(events), 'utf8') > MAX_REQUEST_BYTES) {
          return {
            error: {
              type: 'EventBridge:ValidationException',
              message: 'Total size of the entries in the request is over the limit.',
            },
          };
        }
        const entries: Entry[] = [];
        const accepted: EventEnvelope[] = [];
        for (const event of events) {
          const problem = isObject(event) ? entryProblem(event) : 'Event is not a JSON object.';
          if (problem) {
            entries.push({ ErrorCode: 'InvalidArgument', ErrorMessage: problem });
            continue;
          }
          const { source, detailType, detail, resources, time } = event as Record<string, unknown>;
          const envelope: EventEnvelope = {
            version: '0',
            id: randomUUID(),
            'detail-type': detailType as string,
            source: source as string,
            account: host.accountId,
            time: new Date(typeof time === 'string' ? time : Date.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
            region: host.region,
            resources: (resources as string[] | undefined) ?? [],
            detail,
          };
          accepted.push(envelope);
          entries.push({ EventId: envelope.id });
        }
        await record(accepted);
        for (const event of accepted) {
          host.log(
            `EventBridge ${bus} (${name}): ${event.source} ${event['detail-type']} ${event.id} ${JSON.stringify(event.detail)}`,
          );
        }
        return { result: { Entries: entries, FailedEntryCount: entries.length - accepted.length } };
      },
    };
  },
};
