// The one contract every kind of data source meets. The engine hands a data source the request object a resolver
// returned and gets back an outcome: what the response handler sees as ctx.result and ctx.error, or a request the
// data source cannot perform at all, which fails the field whatever the response handler would do (a request object
// AppSync would refuse, or something this machine cannot emulate).
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DataSourceDefinition, DataSourceType } from '../../definition';
import type { DataSourceOutcome } from '../../runtime/pipeline';
import type { LocalCredentials } from '../credentials';
import type { OwnAnswer, OwnRequest } from '../http-server';

export type { DataSourceOutcome };

export interface DataSourceCall {
  /** `Type.field` of the resolver asking: batches and pagination tokens never cross fields. */
  field: string;
  /** The resolver's maxBatchSize (Lambda BatchInvoke). */
  maxBatchSize?: number;
  /**
   * The field's runs in one request, when the resolver batches: a batching data source sends its batch once
   * `settled()` resolves, when every run has either called it or finished without calling it (see engine.ts).
   */
  batch?: { settled(): Promise<void> };
}

export interface DataSource {
  invoke(request: unknown, call: DataSourceCall): Promise<DataSourceOutcome>;
  /**
   * Set by AppSync's NONE data source alone: its answer is always the request's `payload`, so the runtime computes it
   * where the handlers run, without calling `invoke` (see runtime/pipeline.ts).
   */
  readonly answersWithPayload?: true;
  /** Forget loaded code (npm run dev's reload); data stays. */
  reload?(): void;
  close?(): Promise<void>;
}

export type { LocalCredentials };

/** What the server offers every data source it creates. */
export interface DataSourceHost {
  /** Where the definition's relative paths start. */
  rootDir: string;
  /** The data folder, or undefined when the stores live in memory. */
  dataDir: string | undefined;
  region: string;
  /** The local account id, as ARNs and identities show it. */
  accountId: string;
  /** This data folder's key pair: what the local endpoints accept and local signing uses. */
  credentials: LocalCredentials;
  /** Endpoints given for data sources by name (`--endpoint name=url`): OpenSearch needs one, HTTP may take one. */
  endpoints: Readonly<Record<string, string>>;
  /**
   * The DynamoDB-compatible store every table data source uses, the secret sealing its pagination tokens, and whether
   * a failed condition hands the current item to the resolver (see dynamodb.ts).
   */
  dynamodb: { client: DynamoDBClient; tokenSecret?: string; currentItemOnConditionFailure?: boolean };
  /** Variables every local Lambda function sees (region, local credentials, the local stores' endpoints). */
  lambdaEnvironment: Readonly<Record<string, string>>;
  /** A SQL file seeding every new local database (`--sql-seed`), besides a data source's own `seed`. */
  sqlSeed?: string;
  /** This API's own address (scheme, host, port), once the server listens. */
  selfEndpoint(): string;
  /**
   * Answers a request to this API's own GraphQL endpoint in-process, as the server would over HTTP (undefined for
   * what only HTTP serves).
   */
  answerOwnRequest(request: OwnRequest): Promise<OwnAnswer> | undefined;
  /** The server log (one line per event). */
  log(line: string): void;
  /** Counts calls made to stores and functions, by kind (the bench and the request log read them). */
  count(kind: 'dynamodb' | 'lambda'): void;
  /** Services shared by data sources of one kind, made once per server (a DynamoDB client, a database). */
  shared<T>(key: string, make: () => T): T;
  /** Runs at server close, after the data sources are closed. */
  onClose(close: () => Promise<void>): void;
}

/** One kind of data source: how to make one from its definition. */
export interface DataSourceKind<T extends DataSourceType> {
  /**
   * Problems that keep this data source from being served here, each a sentence naming it; they are reported
   * together before the server starts.
   */
  check?(name: string, definition: Extract<DataSourceDefinition, { type: T }>, host: DataSourceHost): string[];
  create(
    name: string,
    definition: Extract<DataSourceDefinition, { type: T }>,
    host: DataSourceHost,
  ): DataSource | Promise<DataSource>;
}

/** Every kind of the definition, each with its implementation: a kind left out does not compile. */
export type DataSourceRegistry = { [T in DataSourceType]: DataSourceKind<T> };
