// The GraphQL engine of the local AppSync: an API definition (schema, resolvers, data sources) made executable.
// graphql-js parses, validates and walks the query; every field with a resolver runs the deployed bundle of its
// code on the APPSYNC_JS runtime, and every other field reads its parent's property, as on AppSync.
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import {
  execute,
  print,
  GraphQLError,
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
  type OperationDefinitionNode,
  isObjectType,
} from 'graphql';
import { AppSyncJsRuntime, type LoadedCode, type ResolverRuntime } from '../runtime/runtime';
import { bundleResolverCached } from '../runtime/bundle';
import { runResolver, type ExecutableResolver, type HandlerTrace } from '../runtime/pipeline';
import { codeName, type ApiDefinition, type AuthMode, type CodeSource } from '../definition';
import type { ExtensionEffect, ResolverErrorRecord } from '../runtime/realm/evaluation';
import { buildAppSyncSchema } from './appsync-schema';
import {
  executionError,
  fieldError,
  fromGraphQLError,
  fromRecord,
  isFieldError,
  locationsOfNodes,
  type AppSyncError,
} from './errors';
import { fieldRules, isAllowed, type FieldRule } from './auth/field-rules';
import type { DataSource } from './datasources';
import { directLambdaCode } from './direct-lambda';
import { fieldDepth, LimitReached, RequestLimits, type LimitError, type RequestLimitOptions } from './request-limits';
import { DocumentWorker, prepareDocument, type Preparation } from './documents';
import { FairGate } from './fair-gate';
import { variablesError } from './variable-values';

export interface Caller {
  mode: AuthMode;
  /** ctx.identity: null for API keys, AppSync's Cognito identity for user pools. */
  identity: unknown;
  groups: readonly string[];
  /** For the request log. */
  label: string;
}

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/** An `extensions.*` call a resolver made, with the field (`Type.field`) and response path it ran for. */
export interface FieldExtensionEffect {
  field: string;
  path: Array<string | number>;
  effect: ExtensionEffect;
}

export interface ExecutionReport {
  body: { data: unknown; errors?: AppSyncError[] };
  operationName: string | null;
  /** Data-source calls, as `name` per call, in order. */
  dataSourceCalls: string[];
  trace: Array<{ field: string; handlers: HandlerTrace[] }>;
  /** What resolvers asked of `extensions` (subscription filters, invalidations), in the order they ran. */
  extensions: FieldExtensionEffect[];
  /** The parsed request and the operation that ran; absent when the query did not parse. Real time reads them. */
  document?: DocumentNode;
  operation?: OperationDefinitionNode;
  variables: Record<string, unknown>;
}

/**
 * The resolvers of one field across a list, in one request: graphql-js starts them all in one turn, and their request
 * handlers finish whenever the runtime gets to them. A batching data source (Lambda BatchInvoke) gathers the calls
 * until `settled()`, when every run has either called it or finished without calling it.
 */
export class BatchWindow {
  private pending = 0;
  private waiters: Array<() => void> = [];

  enter(): void {
    this.pending += 1;
  }

  leave(): void {
    this.pending -= 1;
    if (this.pending === 0) for (const resolve of this.waiters.splice(0)) resolve();
  }

  settled(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

interface RequestState {
  caller: Caller;
  request: {
    headers: Record<string, string>;
    domainName: string | null;
  };
  variables: Record<string, unknown>;
  /**
   * Field errors (resolver errors, limits, util.appendError), in the order they happened. graphql-js keeps only the
   * first error under a nullable field and drops the others of non-nullable siblings; AppSync reports each field's.
   */
  fieldErrors: AppSyncError[];
  dataSourceCalls: string[];
  limits: RequestLimits;
  trace?: ExecutionReport['trace'];
  extensions: FieldExtensionEffect[];
  /** Batching resolvers' windows, by field. */
  batches?: Map<string, BatchWindow>;
}

interface PreparedDocument {
  document: DocumentNode;
  validationErrors: AppSyncError[];
  /** What this entry takes in the document cache, estimated. */
  bytes: number;
}

interface FieldResolver {
  resolver: ExecutableResolver;
  maxBatchSize?: number;
}

/** How a data source's errors are prefixed (`DynamoDB:ConditionalCheckFailedException`), by data source type. */
const ERROR_PREFIX: Record<string, string> = {
  AMAZON_DYNAMODB: 'DynamoDB',
  AWS_LAMBDA: 'Lambda',
  HTTP: 'Http',
  AMAZON_EVENTBRIDGE: 'EventBridge',
  AMAZON_OPENSEARCH_SERVICE: 'OpenSearch',
  RELATIONAL_DATABASE: 'RDSHttp',
};

export interface EngineOptions {
  definition: ApiDefinition;
  /** Folder the definition's paths are relative to. */
  rootDir: string;
  dataSources: Record<string, DataSource>;
  /** Where handlers are evaluated: the server passes its pool of workers; in this thread when absent. */
  runtime?: ResolverRuntime;
  /** Keep every handler's evaluated request and response (field-level logs). */
  trace?: boolean;
  /** Overrides of the request limits (request-limits.ts); the definition's depth and resolver limits apply. */
  limits?: Omit<RequestLimitOptions, 'queryDepthLimit' | 'resolverCountLimit'>;
}

// The document cache is bounded in bytes: a parsed document (AST with locations) takes about 43 bytes of heap per
// character of its text (measured on the notes API's operations), counted here as 48 with the text itself.
const MAX_CACHED_DOCUMENT_BYTES = 16 * 1024 * 1024;
const CACHE_BYTES_PER_QUERY_CHARACTER = 48;
const MAX_CACHED_QUERY_LENGTH = 20_000;
// A document's validation errors are cached with it: small objects around short strings, counted as three bytes per
// character of their JSON (a mistyped document can have many).
const CACHE_BYTES_PER_ERROR_CHARACTER = 3;

function cachedBytes(query: string, validationErrors: AppSyncError[]): number {
  const errorCharacters = validationErrors.length === 0 ? 0 : JSON.stringify(validationErrors).length;
  return query.length * CACHE_BYTES_PER_QUERY_CHARACTER + errorCharacters * CACHE_BYTES_PER_ERROR_CHARACTER;
}

export class GraphQLEngine {
  /** Parsed and validated documents by query text, least recently used first. */
  private readonly documents = new Map<string, PreparedDocument>();
  /** What the cached documents take, estimated (see MAX_CACHED_DOCUMENT_BYTES). */
  private cachedDocumentBytes = 0;

  private constructor(
    readonly schema: GraphQLSchema,
    /** The schema's text, for the document worker's copy of it. */
    private readonly schemaText: string,
    private readonly runtime: ResolverRuntime,
    private readonly resolvers: Map<string, FieldResolver>,
    private readonly rules: Map<string, FieldRule>,
    private readonly dataSources: Record<string, DataSource>,
    /** The error prefix of each data source that calls out, for the errors raised on its behalf (timeouts). */
    private readonly errorPrefixes: Map<string, string>,
    private readonly limitOptions: RequestLimitOptions,
    private readonly trace: boolean,
  ) {}

  /** Reads the schema, bundles and loads every resolver's code; throws with every problem found. */
  static async create(options: EngineOptions): Promise<GraphQLEngine> {
    const { definition, rootDir } = options;
    const schemaText = await readFile(path.resolve(rootDir, definition.schema), 'utf8');
    const schema = buildAppSyncSchema(schemaText);
    const runtime = options.runtime ?? new AppSyncJsRuntime();
    const problems: string[] = [];

    // Bundling runs in esbuild's service: ask for every file at once, then load them one by one. Inline code is
    // already what AppSync runs.
    const files = new Set<string>();
    for (const { code } of [...definition.resolvers, ...Object.values(definition.functions ?? {})]) {
      if (typeof code === 'string') files.add(code);
    }
    const bundles = new Map<string, string>();
    await Promise.all(
      [...files].map(async (file) => {
        try {
          bundles.set(file, await bundleResolverCached(path.resolve(rootDir, file)));
        } catch (error) {
          problems.push(`${file}: ${(error as Error).message}`);
        }
      }),
    );
    const loadCode = (code: CodeSource): LoadedCode | undefined => {
      const name = codeName(code);
      const source = typeof code === 'string' ? bundles.get(code) : code.inline;
      if (source === undefined) return undefined;
      const loaded = runtime.load(source, { name });
      if (loaded.ok) return loaded.code;
      for (const e of loaded.codeErrors) problems.push(`${name}:${e.location.line}:${e.location.column} ${e.value}`);
      return undefined;
    };
    /** The code of a resolver or function; without any, AppSync's direct Lambda request and response. */
    const codeFor = (
      code: CodeSource | undefined,
      dataSource: string,
      user: string,
      direct: Parameters<typeof directLambdaCode>[0],
    ): LoadedCode | undefined => {
      if (code !== undefined) return loadCode(code);
      if (definition.dataSources[dataSource]?.type !== 'AWS_LAMBDA') {
        problems.push(`${user} has no code; only a Lambda data source can be used without code (direct Lambda)`);
        return undefined;
      }
      return loadCode({ inline: directLambdaCode(direct), name: `${user} (direct Lambda)` });
    };
    const requireDataSource = (name: string, user: string) => {
      if (!definition.dataSources[name]) problems.push(`${user} uses data source '${name}', which is not defined`);
    };

    // A NONE data source's answer is computed with the handlers, where they run (see runtime/pipeline.ts).
    const isNone = (dataSource: string) => options.dataSources[dataSource]?.answersWithPayload === true;

    const functions = new Map<string, { code?: LoadedCode; dataSource: string; none: boolean }>();
    for (const [name, fn] of Object.entries(definition.functions ?? {})) {
      requireDataSource(fn.dataSource, `function ${name}`);
      const code = codeFor(fn.code, fn.dataSource, `function ${name}`, { batch: false, pipelineFunction: true });
      functions.set(name, { code, dataSource: fn.dataSource, none: isNone(fn.dataSource) });
    }

    const resolvers = new Map<string, FieldResolver>();
    for (const resolver of definition.resolvers) {
      const field = `${resolver.typeName}.${resolver.fieldName}`;
      const type = schema.getType(resolver.typeName);
      if (!isObjectType(type) || !type.getFields()[resolver.fieldName]) {
        problems.push(`resolver ${field} names a field that is not in the schema`);
        continue;
      }
      if (resolver.kind === 'UNIT') {
        requireDataSource(resolver.dataSource, `resolver ${field}`);
        const code = codeFor(resolver.code, resolver.dataSource, `resolver ${field}`, {
          batch: (resolver.maxBatchSize ?? 0) > 0,
          pipelineFunction: false,
        });
        if (!code) continue;
        resolvers.set(field, {
          resolver: { kind: 'UNIT', code, dataSource: resolver.dataSource, none: isNone(resolver.dataSource) },
          maxBatchSize: resolver.maxBatchSize,
        });
      } else {
        const code = loadCode(resolver.code);
        if (!code) continue;
        const steps = resolver.functions.map((name) => {
          const fn = functions.get(name);
          if (!fn) problems.push(`resolver ${field} uses function '${name}', which is not defined`);
          return { name, code: fn?.code, dataSource: fn?.dataSource ?? '', none: fn?.none ?? false };
        });
        if (steps.some((s) => !s.code)) continue;
        resolvers.set(field, {
          resolver: { kind: 'PIPELINE', code, functions: steps.map((s) => ({ ...s, code: s.code! })) },
          maxBatchSize: resolver.maxBatchSize,
        });
      }
    }
    for (const name of Object.keys(definition.dataSources)) {
      if (!options.dataSources[name]) problems.push(`data source '${name}' was not given to the engine`);
    }
    const { queryDepthLimit, resolverCountLimit } = definition;
    if (
      queryDepthLimit !== undefined &&
      !(Number.isInteger(queryDepthLimit) && queryDepthLimit >= 0 && queryDepthLimit <= 75)
    )
      problems.push(`queryDepthLimit must be a whole number from 1 to 75 (0 for none), not ${queryDepthLimit}`);
    if (
      resolverCountLimit !== undefined &&
      !(Number.isInteger(resolverCountLimit) && resolverCountLimit >= 0 && resolverCountLimit <= 10_000)
    )
      problems.push(
        `resolverCountLimit must be a whole number from 1 to 10000 (0 for the default), not ${resolverCountLimit}`,
      );
    if (problems.length > 0) throw new Error(`The API cannot be served:\n  ${problems.join('\n  ')}`);

    return new GraphQLEngine(
      schema,
      schemaText,
      runtime,
      resolvers,
      fieldRules(schema, definition.auth.default),
      options.dataSources,
      new Map(
        Object.entries(definition.dataSources)
          .filter(([, ds]) => ds.type !== 'NONE')
          .map(([name, ds]) => [name, ERROR_PREFIX[ds.type] ?? ds.type] as const),
      ),
      { ...options.limits, queryDepthLimit, resolverCountLimit },
      options.trace ?? false,
    );
  }

  /** The document cache's size: entries, and their estimated bytes (bounded by MAX_CACHED_DOCUMENT_BYTES). */
  documentCacheSize(): { entries: number; bytes: number } {
    return { entries: this.documents.size, bytes: this.cachedDocumentBytes };
  }

  /**
   * The document parsed and validated, from the cache when it was seen before; or why it does not parse. A document
   * too long to cache is prepared on the document worker, so that its cost is not everyone else's wait.
   */
  private prepare(query: string): Preparation | Promise<Preparation> {
    if (query.length > MAX_CACHED_QUERY_LENGTH) return this.prepareLong(query);
    const cached = this.documents.get(query);
    if (cached) {
      // Most recently used goes last.
      this.documents.delete(query);
      this.documents.set(query, cached);
      return cached;
    }
    // Validation depends only on the schema and the text, and clients send the same few documents over and over.
    const preparation = prepareDocument(this.schema, query);
    if ('syntaxError' in preparation) return preparation;
    const prepared: PreparedDocument = { ...preparation, bytes: cachedBytes(query, preparation.validationErrors) };
    this.cachedDocumentBytes += prepared.bytes;
    while (this.cachedDocumentBytes > MAX_CACHED_DOCUMENT_BYTES && this.documents.size > 0) {
      const [oldestQuery, oldest] = this.documents.entries().next().value!;
      this.documents.delete(oldestQuery);
      this.cachedDocumentBytes -= oldest.bytes;
    }
    this.documents.set(query, prepared);
    return prepared;
  }

  /** Long documents being prepared: the HTTP server's subscription check and the execution share one preparation. */
  private readonly preparingLong = new Map<string, Promise<Preparation>>();

  private prepareLong(query: string): Promise<Preparation> {
    let preparing = this.preparingLong.get(query);
    if (!preparing) {
      preparing = (this.documentWorker ??= new DocumentWorker(this.schemaText)).prepare(query);
      this.preparingLong.set(query, preparing);
      // Kept until the turn after it settles: long enough for execute to follow isSubscription, never longer.
      void preparing.then(() => setImmediate(() => this.preparingLong.delete(query)));
    }
    return preparing;
  }

  private documentWorker: DocumentWorker | undefined;

  /** Each data source's share per caller (fair-gate.ts). */
  private readonly gates = new Map<string, FairGate>();

  private gateOf(dataSource: string): FairGate {
    let gate = this.gates.get(dataSource);
    if (!gate) this.gates.set(dataSource, (gate = new FairGate(this.limitOptions.callsInFlightPerCaller)));
    return gate;
  }

  /**
   * Whether `request` asks for a subscription (AppSync serves those over its real-time endpoint only). Answers from
   * the document cache, so the HTTP server can ask before executing at no extra cost.
   */
  async isSubscription(request: GraphQLRequest): Promise<boolean> {
    const prepared = await this.prepare(request.query);
    if ('syntaxError' in prepared) return false;
    return (
      pickOperation(prepared.document, request.operationName ?? null)?.operation === OperationTypeNode.SUBSCRIPTION
    );
  }

  async execute(
    request: GraphQLRequest,
    caller: Caller,
    httpRequest: { headers: Record<string, string>; domainName: string | null },
  ): Promise<ExecutionReport> {
    // What real time reads back from the report, once known.
    const parsed: { document?: DocumentNode; operation?: OperationDefinitionNode } = {};
    const report = (
      body: ExecutionReport['body'],
      operationName: string | null,
      state?: RequestState,
    ): ExecutionReport => ({
      body,
      operationName,
      dataSourceCalls: state?.dataSourceCalls ?? [],
      trace: state?.trace ?? [],
      extensions: state?.extensions ?? [],
      document: parsed.document,
      operation: parsed.operation,
      variables: request.variables ?? {},
    });
    const prepared = await this.prepare(request.query);
    if ('syntaxError' in prepared) return report({ data: null, errors: [prepared.syntaxError] }, null);
    const { document, validationErrors } = prepared;
    parsed.document = document;
    const operation = pickOperation(document, request.operationName);
    parsed.operation = operation;
    const operationName = operation?.name?.value ?? request.operationName ?? null;
    if (validationErrors.length > 0) return report({ data: null, errors: validationErrors }, operationName);
    // AppSync coerces the variables before anything runs, and answers the first that does not fit.
    const badVariable = operation && variablesError(this.schema, operation, request.variables ?? {});
    if (badVariable) return report({ data: null, errors: [badVariable] }, operationName);
    const state: RequestState = {
      caller,
      request: httpRequest,
      variables: request.variables ?? {},
      fieldErrors: [],
      dataSourceCalls: [],
      limits: new RequestLimits(this.limitOptions),
      trace: this.trace ? [] : undefined,
      extensions: [],
    };
    const result = await execute({
      schema: this.schema,
      document,
      variableValues: request.variables ?? undefined,
      operationName: request.operationName ?? undefined,
      contextValue: state,
      fieldResolver: this.resolveField,
    });
    // graphql-js answers at the first error of a non-nullable field; AppSync waits for every field and reports each.
    await state.limits.settled();
    const errors = [
      ...state.fieldErrors,
      ...(result.errors ?? [])
        .filter((error) => !isFieldError(error))
        .map((error) => executionError(error, this.schema)),
    ];
    const body: ExecutionReport['body'] = { data: result.data ?? null };
    if (errors.length > 0) body.errors = errors;
    // Aliases can repeat a large value many times over: the ceiling holds for the response as sent, too.
    const tooLarge = state.limits.responseError(body);
    if (tooLarge) return report({ data: null, errors: [fromRecord(tooLarge, null, undefined)] }, operationName, state);
    return report(body, operationName, state);
  }

  /** Every field goes through here: authorization, then the resolver or the parent's property. */
  private resolveField: GraphQLFieldResolver<unknown, RequestState> = (source, args, state, info) => {
    const field = `${info.parentType.name}.${info.fieldName}`;
    const tooDeep = state.limits.depthError(fieldDepth(info.path));
    if (tooDeep) throw errorOfField(tooDeep, info, state);
    if (!isAllowed(this.rules.get(field), state.caller)) {
      throw errorOfField(
        {
          message: `Not Authorized to access ${info.fieldName} on type ${info.parentType.name}`,
          errorType: 'Unauthorized',
        },
        info,
        state,
      );
    }
    const resolver = this.resolvers.get(field);
    if (!resolver) {
      if (source !== null && typeof source === 'object') return (source as Record<string, unknown>)[info.fieldName];
      return undefined;
    }
    const overLimit = state.limits.admitResolver() ?? (resolver.maxBatchSize ? state.limits.responseFull() : undefined);
    if (overLimit) {
      return state.limits.later(() => {
        throw errorOfField(overLimit, info, state);
      });
    }
    // Batched fields gather their list's items into one data-source call in the same turn: they are not queued.
    if (resolver.maxBatchSize) return state.limits.track(this.runField(field, resolver, source, args, state, info));
    return state.limits
      .schedule(() => this.runField(field, resolver, source, args, state, info))
      .catch((thrown: unknown) => {
        throw thrown instanceof LimitReached ? errorOfField(thrown.limit, info, state) : thrown;
      });
  };

  private async runField(
    field: string,
    { resolver, maxBatchSize }: FieldResolver,
    source: unknown,
    args: Record<string, unknown>,
    state: RequestState,
    info: GraphQLResolveInfo,
  ): Promise<unknown> {
    let ctxInfo: Record<string, unknown>;
    try {
      ctxInfo = resolverInfo(info, state.variables);
    } catch (thrown) {
      throw thrown instanceof LimitReached ? errorOfField(thrown.limit, info, state) : thrown;
    }
    let batch: BatchWindow | undefined;
    if (maxBatchSize) {
      state.batches ??= new Map();
      batch = state.batches.get(field);
      if (!batch) state.batches.set(field, (batch = new BatchWindow()));
      batch.enter();
    }
    let inWindow = batch !== undefined;
    const leaveWindow = () => {
      if (inWindow) batch!.leave();
      inWindow = false;
    };
    const run = await runResolver(
      this.runtime,
      resolver,
      {
        arguments: args,
        identity: state.caller.identity,
        source: source ?? null,
        info: ctxInfo,
        request: state.request,
      },
      async ({ dataSource, request }) => {
        const call = () => {
          const invoke = () => this.dataSources[dataSource].invoke(request, { field, maxBatchSize, batch });
          // A batched call waits for its siblings, so it may not wait for a share they hold (one call per batch).
          const pending = batch ? invoke() : this.gateOf(dataSource).run(state.caller.label, invoke);
          leaveWindow();
          return pending;
        };
        const prefix = this.errorPrefixes.get(dataSource);
        // NONE: nothing is called, so nothing can time out.
        if (prefix === undefined) {
          state.dataSourceCalls.push(dataSource);
          return call();
        }
        const timedOut = { error: timeoutError(prefix) };
        if (state.limits.timedOut()) {
          leaveWindow();
          return timedOut;
        }
        state.dataSourceCalls.push(dataSource);
        return beforeDeadline(call(), state.limits.deadline, timedOut);
      },
      {
        authType: authTypeName(state.caller.mode),
        fairnessKey: state.caller.label,
        trace: this.trace,
        onNoneCall: (dataSource) => state.dataSourceCalls.push(dataSource),
      },
    ).finally(leaveWindow);
    if (state.trace) state.trace.push({ field: `${field} ${pathText(info.path)}`, handlers: run.trace });
    const path = pathArray(info.path);
    for (const effect of run.extensions) state.extensions.push({ field, path, effect });
    for (const record of run.outErrors)
      state.fieldErrors.push(fromRecord(record, path, locationsOfNodes(info.fieldNodes)));
    if (run.error) {
      // AppSync filters an error's `data` by the field's selection set, as it would the field's value.
      const record: ResolverErrorRecord = { ...run.error };
      if (record.data !== undefined) {
        const sets = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
        record.data = selected(record.data, sets, info);
      }
      throw errorOfField(record, info, state);
    }
    const tooLarge = state.limits.addResponseBytes(jsonLength(run.data));
    if (tooLarge) throw errorOfField(tooLarge, info, state);
    return run.data;
  }
}

/** The field's error, located at the field (see errors.ts on why not through graphql-js). */
function errorOfField(
  record: ResolverErrorRecord | LimitError,
  info: GraphQLResolveInfo,
  state: RequestState,
): GraphQLError {
  const error = fieldError(record, pathArray(info.path), info.fieldNodes);
  state.fieldErrors.push(fromGraphQLError(error));
  return error;
}

/**
 * What a data source answers when AppSync's 30-second request limit passes first (aws-appsync-community#386:
 * ctx.error `{ message: 'Execution timed out.', type: 'Lambda:ExecutionTimeoutException' }`; #43 shows
 * `Http:ExecutionTimeoutException`).
 */
function timeoutError(prefix: string): { message: string; type: string } {
  return { message: 'Execution timed out.', type: `${prefix}:ExecutionTimeoutException` };
}

/** The call's outcome, or `timedOut` if the deadline comes first (the call itself cannot be taken back). */
async function beforeDeadline<T>(call: Promise<T>, deadline: number, timedOut: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(timedOut), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([call, expiry]);
  } finally {
    clearTimeout(timer);
  }
}

/** The size of a resolver's result as JSON text, for the response-size ceiling. */
function jsonLength(value: unknown): number {
  if (value === null || value === undefined) return 4;
  return JSON.stringify(value)?.length ?? 0;
}

/** The operation a request names, or its only one; undefined when there is no such operation. */
export function pickOperation(
  document: DocumentNode,
  name: string | null | undefined,
): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return name ? operations.find((o) => o.name?.value === name) : operations.length === 1 ? operations[0] : undefined;
}

interface SelectionInfo {
  fieldNodes: readonly FieldNode[];
  selectionSetList: string[];
  selectionSetGraphQL: string;
}

// Keyed by the field's first node, which belongs to the (cached) document: graphql-js gathers a field's nodes into a
// new array on every execution, so the array itself never comes back. The nodes are compared to be sure.
const infoCache = new WeakMap<FieldNode, SelectionInfo>();

const sameNodes = (a: readonly FieldNode[], b: readonly FieldNode[]) =>
  a.length === b.length && a.every((node, i) => node === b[i]);

/** ctx.info as AppSync builds it: the selection set as a list of paths and as GraphQL text. */
function resolverInfo(info: GraphQLResolveInfo, variables: Record<string, unknown>): Record<string, unknown> {
  let selection = infoCache.get(info.fieldNodes[0]);
  if (!selection || !sameNodes(selection.fieldNodes, info.fieldNodes)) {
    const sets = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
    const list: string[] = [];
    collectPaths(sets, info, '', list);
    selection = {
      fieldNodes: info.fieldNodes,
      selectionSetList: list,
      selectionSetGraphQL: sets.map((set) => print(set)).join('\n'),
    };
    infoCache.set(info.fieldNodes[0], selection);
  }
  return {
    fieldName: info.fieldName,
    parentTypeName: info.parentType.name,
    variables,
    selectionSetList: selection.selectionSetList,
    selectionSetGraphQL: selection.selectionSetGraphQL,
  };
}

/**
 * A document can name far more paths than it has characters (fragments that select several fields, each spreading
 * the next fragment): past this many, ctx.info is not built and the field fails instead.
 */
const MAX_SELECTION_PATHS = 100_000;

/**
 * The fields `sets` select, by response name, each with the selection sets below it (fields of one name merged,
 * each fragment visited once): the same grouping GraphQL execution does, so every path is visited once.
 */
function fieldsByResponseName(
  sets: readonly SelectionSetNode[],
  info: GraphQLResolveInfo,
): Map<string, { name: string; sets: SelectionSetNode[] }> {
  const fields = new Map<string, { name: string; sets: SelectionSetNode[] }>();
  const visitedFragments = new Set<string>();
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        let entry = fields.get(key);
        if (!entry) fields.set(key, (entry = { name: selection.name.value, sets: [] }));
        if (selection.selectionSet) entry.sets.push(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else if (!visitedFragments.has(selection.name.value)) {
        visitedFragments.add(selection.name.value);
        const fragment = info.fragments[selection.name.value];
        if (fragment) visit(fragment.selectionSet);
      }
    }
  };
  for (const set of sets) visit(set);
  return fields;
}

function collectPaths(
  sets: readonly SelectionSetNode[],
  info: GraphQLResolveInfo,
  prefix: string,
  out: string[],
): void {
  for (const [key, field] of fieldsByResponseName(sets, info)) {
    if (field.name === '__typename') continue;
    if (out.length >= MAX_SELECTION_PATHS) {
      throw new LimitReached({
        message: `The selection set names more than ${MAX_SELECTION_PATHS} fields`,
        errorType: 'SelectionSetLimitReached',
      });
    }
    out.push(`${prefix}${key}`);
    if (field.sets.length > 0) collectPaths(field.sets, info, `${prefix}${key}/`, out);
  }
}

/** `value` cut down to the fields the selection sets pick (lists element by element). */
function selected(value: unknown, sets: readonly SelectionSetNode[], info: GraphQLResolveInfo): unknown {
  if (Array.isArray(value)) return value.map((item) => selected(item, sets, info));
  if (value === null || typeof value !== 'object' || sets.length === 0) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of fieldsByResponseName(sets, info)) {
    if (!(field.name in value)) continue;
    const child = (value as Record<string, unknown>)[field.name];
    out[key] = field.sets.length > 0 ? selected(child, field.sets, info) : child;
  }
  return out;
}

function pathArray(path: GraphQLResolveInfo['path']): Array<string | number> {
  const out: Array<string | number> = [];
  for (let p: GraphQLResolveInfo['path'] | undefined = path; p; p = p.prev) out.unshift(p.key);
  return out;
}

function pathText(path: GraphQLResolveInfo['path']): string {
  return pathArray(path).join('.');
}

/** util.authType()'s words for each mode. */
function authTypeName(mode: AuthMode): string {
  switch (mode) {
    case 'API_KEY':
      return 'API Key Authorization';
    case 'AWS_IAM':
      return 'IAM Authorization';
    case 'AMAZON_COGNITO_USER_POOLS':
      return 'User Pool Authorization';
    case 'OPENID_CONNECT':
      return 'Open ID Connect Authorization';
    case 'AWS_LAMBDA':
      return 'Lambda Authorization';
  }
}
