// The subscriptions of every connection, and the fan-out: after each mutation, its root fields' results go to the
// subscriptions whose field names them in `@aws_subscribe(mutations: [...])`, through each subscription's filter,
// each subscriber getting its own selection. Invalidations from `extensions.invalidateSubscriptions` end the
// subscriptions whose invalidation filter matches their payload and close those connections [inval].
//   [inval] https://docs.aws.amazon.com/appsync/latest/devguide/aws-appsync-real-time-invalidation.html
//   [ext]   https://docs.aws.amazon.com/appsync/latest/devguide/extensions-js.html
import { getDirectiveValues, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { AuthMode } from '../../definition';
import { fieldRules, type FieldRule } from '../auth/field-rules';
import type { Caller, ExecutionReport, GraphQLEngine } from '../engine';
import type { AppSyncError } from '../errors';
import { argumentsMatch, filterMatches, type SubscriptionFilter } from './filters';
import { byFieldName, collectFields, fragmentsOf, renderForSubscriber, type Rendering } from './payload';
import { dataFrame, LIMITS } from './protocol';

/** One started subscription. */
export interface Subscription {
  id: string;
  /** The subscription field (on the schema's subscription type) it listens to. */
  field: string;
  document: DocumentNode;
  operationName?: string;
  /** The variables as the client sent them. */
  variables: Record<string, unknown>;
  /** The root field's arguments as given (omitted ones absent), for basic filtering. */
  args: Record<string, unknown>;
  filter?: SubscriptionFilter;
  invalidationFilter?: SubscriptionFilter;
  caller: Caller;
  /** Subscribers with the same key get the same rendering of a payload. */
  renderKey: string;
  deliver(frame: string): void;
  /** Ends the subscription for an invalidation (and closes its connection). */
  invalidate(): void;
}

/** What real time derives from one engine's schema. */
export interface SchemaFacts {
  schema: GraphQLSchema;
  rules: ReadonlyMap<string, FieldRule>;
  /** Mutation field name → the subscription fields it publishes to. */
  subscribersOf: ReadonlyMap<string, string[]>;
}

const factsByEngine = new WeakMap<GraphQLEngine, SchemaFacts>();

export function schemaFacts(engine: GraphQLEngine, defaultMode: AuthMode): SchemaFacts {
  let facts = factsByEngine.get(engine);
  if (!facts) {
    const { schema } = engine;
    const subscribersOf = new Map<string, string[]>();
    const directive = schema.getDirective('aws_subscribe');
    const subscriptionType = schema.getSubscriptionType();
    if (directive && subscriptionType) {
      for (const field of Object.values(subscriptionType.getFields())) {
        if (!field.astNode) continue;
        const values = getDirectiveValues(directive, field.astNode);
        for (const mutation of (values?.mutations as string[] | undefined) ?? []) {
          subscribersOf.set(mutation, [...(subscribersOf.get(mutation) ?? []), field.name]);
        }
      }
    }
    facts = { schema, rules: fieldRules(schema, defaultMode), subscribersOf };
    factsByEngine.set(engine, facts);
  }
  return facts;
}

/** At most five unique invalidateSubscriptions calls in one request [ext]. */
export const MAX_INVALIDATIONS_PER_REQUEST = 5;

export interface PublishReport {
  /** Frames sent, by subscription field. */
  delivered: number;
  /** Payloads over the size limit, not delivered (as AppSync drops them). */
  oversized: number;
  invalidated: number;
}

export class SubscriptionHub {
  private readonly byField = new Map<string, Set<Subscription>>();

  constructor(
    private readonly engine: () => GraphQLEngine,
    private readonly defaultMode: AuthMode,
    private readonly log: (line: string) => void,
  ) {}

  facts(): SchemaFacts {
    return schemaFacts(this.engine(), this.defaultMode);
  }

  add(subscription: Subscription): void {
    let set = this.byField.get(subscription.field);
    if (!set) this.byField.set(subscription.field, (set = new Set()));
    set.add(subscription);
  }

  remove(subscription: Subscription): void {
    this.byField.get(subscription.field)?.delete(subscription);
  }

  /** How many subscriptions are open (all connections). */
  get size(): number {
    let n = 0;
    for (const set of this.byField.values()) n += set.size;
    return n;
  }

  /**
   * Publishes an executed request's mutation results and carries out its invalidations, after the mutation's answer
   * has gone out (AppSync answers the mutating client and fans out on its own time). Returns at once the errors to
   * add to that answer (too many invalidations); `done` hears what was delivered.
   */
  publish(report: ExecutionReport, done: (outcome: PublishReport) => void = () => {}): AppSyncError[] {
    const { operation, document } = report;
    if (!operation || !document || operation.operation !== 'mutation') return [];
    const invalidations = new Map<string, { subscriptionField: string; payload: unknown }>();
    for (const { effect } of report.extensions) {
      if (effect.kind !== 'invalidateSubscriptions') continue;
      const call = effect.payload as { subscriptionField: string; payload: unknown };
      invalidations.set(JSON.stringify(call), call);
    }
    const errors: AppSyncError[] = [];
    if (invalidations.size > MAX_INVALIDATIONS_PER_REQUEST) {
      // AWS documents "a GraphQL error" without its wording; nothing is invalidated.
      errors.push({
        path: null,
        data: null,
        errorType: null,
        errorInfo: null,
        locations: null,
        message: `A request can make at most ${MAX_INVALIDATIONS_PER_REQUEST} unique extensions.invalidateSubscriptions calls; this one made ${invalidations.size}.`,
      });
      invalidations.clear();
    }
    setImmediate(() => done(this.fanOut(report, operation, document, [...invalidations.values()])));
    return errors;
  }

  private fanOut(
    report: ExecutionReport,
    operation: OperationDefinitionNode,
    document: DocumentNode,
    invalidations: Array<{ subscriptionField: string; payload: unknown }>,
  ): PublishReport {
    const outcome: PublishReport = { delivered: 0, oversized: 0, invalidated: 0 };
    const facts = this.facts();
    const data = report.body.data as Record<string, unknown> | null;
    // Reading the mutation's results by schema field names costs a walk of its selections: only when someone listens.
    if (data && this.anyListening(facts)) {
      for (const { field, payload } of this.rootResults(operation, document, data, report, facts)) {
        for (const subscriptionField of facts.subscribersOf.get(field) ?? []) {
          this.deliver(subscriptionField, payload, facts, outcome);
        }
      }
    }
    for (const { subscriptionField, payload } of invalidations) {
      for (const subscription of [...(this.byField.get(subscriptionField) ?? [])]) {
        if (subscription.invalidationFilter && filterMatches(subscription.invalidationFilter, payload)) {
          subscription.invalidate();
          outcome.invalidated += 1;
        }
      }
    }
    return outcome;
  }

  /** Whether any subscription is open on a field that some mutation publishes to. */
  private anyListening(facts: SchemaFacts): boolean {
    for (const fields of facts.subscribersOf.values()) {
      for (const field of fields) if (this.byField.get(field)?.size) return true;
    }
    return false;
  }

  /** Each root mutation field that produced a value, with that value keyed by schema field names. */
  private rootResults(
    operation: OperationDefinitionNode,
    document: DocumentNode,
    data: Record<string, unknown>,
    report: ExecutionReport,
    facts: SchemaFacts,
  ): Array<{ field: string; payload: unknown }> {
    const mutationType = facts.schema.getMutationType();
    if (!mutationType) return [];
    const ctx = { schema: facts.schema, fragments: fragmentsOf(document), variables: report.variables };
    const results: Array<{ field: string; payload: unknown }> = [];
    for (const [key, nodes] of collectFields([operation.selectionSet], mutationType.name, ctx)) {
      const name = nodes[0].name.value;
      const field = mutationType.getFields()[name];
      const value = data[key];
      // A mutation that failed or returned null publishes nothing.
      if (!field || value === null || value === undefined) continue;
      results.push({ field: name, payload: byFieldName(value, field.type, nodes, ctx) });
    }
    return results;
  }

  private deliver(field: string, payload: unknown, facts: SchemaFacts, outcome: PublishReport): void {
    const subscriptions = this.byField.get(field);
    if (!subscriptions || subscriptions.size === 0) return;
    const renderings = new Map<string, Rendering>();
    for (const subscription of subscriptions) {
      const passes = subscription.filter
        ? filterMatches(subscription.filter, payload)
        : argumentsMatch(subscription.args, payload);
      if (!passes) continue;
      let rendering = renderings.get(subscription.renderKey);
      if (!rendering) {
        rendering = renderForSubscriber({
          schema: facts.schema,
          document: subscription.document,
          operationName: subscription.operationName,
          variables: subscription.variables,
          fieldName: field,
          payload,
          caller: subscription.caller,
          rules: facts.rules,
        });
        renderings.set(subscription.renderKey, rendering);
      }
      if (rendering.bytes > LIMITS.maxPayloadBytes) {
        outcome.oversized += 1;
        this.log(
          `WS ${field} ${subscription.id}: ${rendering.bytes} bytes is over AppSync's ${LIMITS.maxPayloadBytes}-byte subscription payload limit; not delivered`,
        );
        continue;
      }
      subscription.deliver(dataFrame(subscription.id, rendering.json));
      outcome.delivered += 1;
    }
  }
}
