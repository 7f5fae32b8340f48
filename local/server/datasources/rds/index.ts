// AppSync's relational database data source (RDS Data API). The request is what createPgStatement or
// createMySQLStatement returns: { statements (one or two), variableMap, variableTypeHintMap }. AppSync runs each
// statement with ExecuteStatement, in order, and hands the response handler the Data API's answer as JSON text in
// ctx.result ({ sqlStatementResults: [...] }, one entry per statement), which toJsonObject reads.
// https://docs.aws.amazon.com/appsync/latest/devguide/resolver-reference-rds-js.html (request, toJsonObject);
// ctx.result is text: AppSync's RDS resolvers parse it ($util.parseJson($ctx.result) in VTL, toJsonObject accepting
// the "serializedSQLResult" string), and EvaluateCode's recorded toJsonObject cases were given it as text.
// A database error reaches ctx.error as AppSync reports a Data API failure: the message `RDSHttp:` followed by the
// Data API's error body, type `400 Bad Request` (quoted in aws/aws-cdk#12735); the database's own words inside are
// PostgreSQL's as its JDBC driver prints them (`ERROR: ...` and the position), which the Data API passes on.
//
// PostgreSQL runs here (see postgres.ts), one database per databaseName in <dataDir>/postgres/, seeded on creation
// from --sql-seed and the data source's seed file. MySQL would need MySQL itself: its statements are built exactly,
// and running one is a single clear error.
import path from 'node:path';
import type { RelationalDatabaseDataSourceDefinition } from '../../../definition';
import { isObject, mappingTemplateError } from '../request-object';
import type { DataSourceHost, DataSourceKind } from '../types';
import { DatabaseError, PostgresDatabase, type StatementResult } from './postgres';

/** AppSync sends at most two statements per request (createPgStatement's two arguments). */
const MAX_STATEMENTS = 2;
const TYPE_HINTS = new Set(['DECIMAL', 'JSON', 'TIMESTAMP', 'TIME', 'UUID', 'DATE']);

interface Statements {
  statements: string[];
  variables: Record<string, unknown>;
  hints: Record<string, string>;
}

/** The request object as AppSync reads it, or what is wrong with it. */
function readRequest(request: unknown): Statements | string {
  if (!isObject(request)) return 'The request must be an object with statements, as createPgStatement returns.';
  const { statements, variableMap, variableTypeHintMap } = request;
  if (!Array.isArray(statements) || statements.length === 0)
    return 'statements must be a list of one or two SQL strings.';
  if (statements.length > MAX_STATEMENTS) return `At most ${MAX_STATEMENTS} statements can be sent in one request.`;
  if (!statements.every((statement) => typeof statement === 'string' && statement.trim() !== '')) {
    return 'Each statement must be a non-empty SQL string.';
  }
  if (variableMap !== undefined && variableMap !== null && !isObject(variableMap)) {
    return 'variableMap must be an object of :name to value.';
  }
  if (variableTypeHintMap !== undefined && variableTypeHintMap !== null && !isObject(variableTypeHintMap)) {
    return 'variableTypeHintMap must be an object of :name to type hint.';
  }
  const hints = (variableTypeHintMap ?? {}) as Record<string, unknown>;
  for (const [name, hint] of Object.entries(hints)) {
    if (typeof hint !== 'string' || !TYPE_HINTS.has(hint)) {
      return `The type hint of ${name} must be one of ${[...TYPE_HINTS].join(', ')}, not ${JSON.stringify(hint)}.`;
    }
  }
  return {
    statements: statements as string[],
    variables: (variableMap ?? {}) as Record<string, unknown>,
    hints: hints as Record<string, string>,
  };
}

/** The database error as the Data API words it (PostgreSQL's JDBC driver: severity, message, position). */
function dataApiMessage(error: DatabaseError): string {
  return `ERROR: ${error.message}${error.position ? `\n  Position: ${error.position}` : ''}`;
}

function databaseKey(name: string, definition: RelationalDatabaseDataSourceDefinition): string {
  return definition.databaseName ?? name;
}

function seedsOf(definition: RelationalDatabaseDataSourceDefinition, host: DataSourceHost): string[] {
  return [host.sqlSeed, definition.seed && path.resolve(host.rootDir, definition.seed)].filter((seed): seed is string =>
    Boolean(seed),
  );
}

export const relationalDatabaseKind: DataSourceKind<'RELATIONAL_DATABASE'> = {
  check(name, definition) {
    if (definition.engine !== 'postgresql' && definition.engine !== 'mysql') {
      return [`data source '${name}' (RELATIONAL_DATABASE) must name its engine: postgresql or mysql`];
    }
    if (definition.databaseName !== undefined && !/^[A-Za-z_][A-Za-z0-9_$-]*$/.test(definition.databaseName)) {
      return [`data source '${name}' (RELATIONAL_DATABASE) has a database name that is not a plain identifier`];
    }
    return [];
  },
  async create(name, definition, host) {
    if (definition.engine === 'mysql') {
      const message =
        `Data source ${name} is an Aurora MySQL database. The local AppSync builds MySQL statements exactly ` +
        '(createMySQLStatement) but cannot run them: it embeds PostgreSQL only.';
      return { invoke: async () => ({ requestError: { type: 'UnsupportedOperation', message } }) };
    }
    const key = databaseKey(name, definition);
    const opening = host.shared(`postgres:${key}`, () => {
      const dir = host.dataDir && path.join(host.dataDir, 'postgres', key);
      const database = PostgresDatabase.open(dir, seedsOf(definition, host));
      host.onClose(async () => {
        await (await database.catch(() => undefined))?.close();
      });
      return database;
    });
    let database: PostgresDatabase;
    try {
      database = await opening;
    } catch (error) {
      throw new Error(`data source '${name}' (RELATIONAL_DATABASE): ${(error as Error).message}`);
    }
    return {
      async invoke(request) {
        const read = readRequest(request);
        if (typeof read === 'string') return mappingTemplateError(read);
        const results: StatementResult[] = [];
        try {
          for (const statement of read.statements) {
            results.push(await database.execute(statement, read.variables, read.hints));
          }
        } catch (error) {
          if (!(error instanceof DatabaseError)) throw error;
          const body = JSON.stringify({ message: dataApiMessage(error) });
          return { error: { message: `RDSHttp:${body}`, type: '400 Bad Request' } };
        }
        return { result: JSON.stringify({ sqlStatementResults: results }) };
      },
    };
  },
};
