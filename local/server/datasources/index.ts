// The data-source registry: every kind of AppSync data source, each implemented in a file of its own behind the one
// contract of types.ts. Adding a kind is one file and one line here; the type of `registry` makes leaving a kind of
// the definition out a compile error.
import type { DataSourceDefinition, DataSourceType } from '../../definition';
import { dynamodbKind } from './dynamodb';
import { eventBridgeKind } from './eventbridge';
import { httpKind } from './http';
import { lambdaKind } from './lambda';
import { noneKind } from './none';
import { openSearchKind } from './opensearch';
import { relationalDatabaseKind } from './rds';
import type { DataSource, DataSourceHost, DataSourceKind, DataSourceRegistry } from './types';

export type * from './types';

const registry: DataSourceRegistry = {
  AMAZON_DYNAMODB: dynamodbKind,
  AWS_LAMBDA: lambdaKind,
  HTTP: httpKind,
  AMAZON_EVENTBRIDGE: eventBridgeKind,
  AMAZON_OPENSEARCH_SERVICE: openSearchKind,
  RELATIONAL_DATABASE: relationalDatabaseKind,
  NONE: noneKind,
};

function kindOf<T extends DataSourceType>(definition: Extract<DataSourceDefinition, { type: T }>): DataSourceKind<T> {
  return registry[definition.type as T];
}

/** Every problem that keeps the data sources from being served here, each a sentence naming its data source. */
export function dataSourceProblems(dataSources: Record<string, DataSourceDefinition>, host: DataSourceHost): string[] {
  return Object.entries(dataSources).flatMap(([name, definition]) => {
    if (!Object.hasOwn(registry, definition.type)) {
      return [`data source '${name}' has type ${String(definition.type)}, which AppSync does not have`];
    }
    return kindOf(definition).check?.(name, definition, host) ?? [];
  });
}

/** Makes every data source of a definition; throws with all problems at once when any cannot be served. */
export async function createDataSources(
  dataSources: Record<string, DataSourceDefinition>,
  host: DataSourceHost,
): Promise<Record<string, DataSource>> {
  const problems = dataSourceProblems(dataSources, host);
  if (problems.length > 0) throw new Error(`The API cannot be served:\n  ${problems.join('\n  ')}`);
  const made: Record<string, DataSource> = {};
  try {
    for (const [name, definition] of Object.entries(dataSources)) {
      made[name] = await kindOf(definition).create(name, definition, host);
    }
  } catch (error) {
    await Promise.all(Object.values(made).map((source) => source.close?.()));
    throw error;
  }
  return made;
}
