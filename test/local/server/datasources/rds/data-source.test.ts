// The relational database data source on embedded PostgreSQL: requests built with @aws-appsync/utils/rds run
// against a database seeded from a SQL file, and answer as the RDS Data API does (ExecuteStatement's records of
// typed fields and column metadata: https://docs.aws.amazon.com/rdsdataservice/latest/APIReference/API_Field.html,
// API_ColumnMetadata.html), as JSON text in ctx.result that toJsonObject reads
// (https://docs.aws.amazon.com/appsync/latest/devguide/resolver-reference-rds-js.html). What toJsonObject gives for
// a statement without records ([{}]) was recorded from AWS's EvaluateCode (see test/local/runtime/rds/).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from '../../../../../local/server/datasources';
import { relationalDatabaseKind } from '../../../../../local/server/datasources/rds';
import * as rds from '../../../../../local/runtime/realm/rds';
import { testHost, type TestHost } from '../../../../helpers/data-source-host';

const SEED = `
CREATE TABLE books (
  id serial PRIMARY KEY,
  title text NOT NULL,
  price numeric(10, 2),
  tags text[],
  in_stock boolean NOT NULL DEFAULT true,
  published timestamp,
  isbn uuid,
  details jsonb
);
INSERT INTO books (title, price, tags, published) VALUES
  ('Huckleberry Finn', 12.50, '{classic,river}', '1884-12-10 00:00:00'),
  ('The Call of the Wild', 9.99, NULL, NULL);
`;

const PGLITE_START_MS = 180_000;
const call = { field: 'Query.books' };
let dir: string;
let host: TestHost;
let source: DataSource;

async function run(request: unknown) {
  const outcome = await source.invoke(request, call);
  if (outcome.error || outcome.requestError) throw new Error(JSON.stringify(outcome));
  return JSON.parse(outcome.result as string) as { sqlStatementResults: Array<Record<string, unknown>> };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rds-'));
  await writeFile(path.join(dir, 'seed.sql'), SEED);
  host = testHost({ dataDir: path.join(dir, 'data'), rootDir: dir });
  source = await relationalDatabaseKind.create(
    'books',
    { type: 'RELATIONAL_DATABASE', engine: 'postgresql', databaseName: 'library', seed: 'seed.sql' },
    host,
  );
}, PGLITE_START_MS);

afterAll(async () => {
  await host?.closeAll();
  await rm(dir, { recursive: true, force: true });
});

describe('relational database data source (PostgreSQL)', () => {
  it('answers a select with typed fields and column metadata, as the Data API does', async () => {
    const answer = await run(
      rds.createPgStatement(
        rds.select({
          table: 'books',
          columns: ['id', 'title', 'price', 'tags', 'in_stock', 'published'],
          where: { id: { eq: 1 } },
        }),
      ),
    );
    const [statement] = answer.sqlStatementResults;
    expect(statement.numberOfRecordsUpdated).toBe(0);
    expect(statement.records).toEqual([
      [
        { longValue: 1 },
        { stringValue: 'Huckleberry Finn' },
        // DECIMAL and timestamps travel as text, every digit kept.
        { stringValue: '12.50' },
        { arrayValue: { stringValues: ['classic', 'river'] } },
        { booleanValue: true },
        { stringValue: '1884-12-10 00:00:00' },
      ],
    ]);
    const columns = statement.columnMetadata as Array<Record<string, unknown>>;
    expect(columns.map((c) => [c.name, c.label, c.typeName])).toEqual([
      ['id', 'id', 'int4'],
      ['title', 'title', 'text'],
      ['price', 'price', 'numeric'],
      ['tags', 'tags', '_text'],
      ['in_stock', 'in_stock', 'bool'],
      ['published', 'published', 'timestamp'],
    ]);
  });

  it('gives rows toJsonObject reads, leaving NULL columns out', async () => {
    const answer = await run(
      rds.createPgStatement(rds.select({ table: 'books', columns: ['title', 'tags'], where: { id: { eq: 2 } } })),
    );
    expect(rds.toJsonObject(JSON.stringify(answer))).toEqual([[{ title: 'The Call of the Wild' }]]);
  });

  it('counts the rows an update changed and gives no records without RETURNING', async () => {
    const answer = await run(
      rds.createPgStatement(rds.update({ table: 'books', values: { in_stock: false }, where: { id: { ge: 1 } } })),
    );
    expect(answer.sqlStatementResults).toEqual([{ numberOfRecordsUpdated: 2, generatedFields: [] }]);
    expect(rds.toJsonObject(JSON.stringify(answer))).toEqual([[{}]]);
  });

  it('runs both statements of a request in order, with type hints cast as the Data API types them', async () => {
    const isbn = '0e0d0c0b-0a09-0807-0605-040302010000';
    const answer = await run(
      rds.createPgStatement(
        rds.insert({
          table: 'books',
          values: {
            title: 'Roughing It',
            isbn: rds.typeHint.UUID(isbn),
            published: rds.typeHint.TIMESTAMP('1872-02-01 00:00:00'),
            details: rds.typeHint.JSON('{"pages": 591}'),
            price: rds.typeHint.DECIMAL('14.25'),
          },
          returning: ['id'],
        }),
        rds.sql`SELECT title, isbn, details, price FROM books WHERE isbn = ${rds.typeHint.UUID(isbn)}`,
      ),
    );
    expect(answer.sqlStatementResults).toHaveLength(2);
    expect(answer.sqlStatementResults[0]).toMatchObject({ numberOfRecordsUpdated: 1, records: [[{ longValue: 3 }]] });
    expect(rds.toJsonObject(JSON.stringify(answer))[1]).toEqual([
      { title: 'Roughing It', isbn, details: '{"pages": 591}', price: '14.25' },
    ]);
  });

  it('hands a database error to the response handler as AppSync reports a Data API failure', async () => {
    const outcome = await source.invoke(rds.createPgStatement('SELECT * FROM shelves'), call);
    expect(outcome.result).toBeUndefined();
    expect(outcome.error).toEqual({
      message: `RDSHttp:${JSON.stringify({ message: 'ERROR: relation "shelves" does not exist\n  Position: 15' })}`,
      type: '400 Bad Request',
    });
  });

  it('fails the field for a request that is not a statement request', async () => {
    expect(await source.invoke({ statements: [] }, call)).toEqual({
      requestError: { type: 'MappingTemplate', message: 'statements must be a list of one or two SQL strings.' },
    });
    expect(await source.invoke({ statements: ['SELECT 1', 'SELECT 2', 'SELECT 3'] }, call)).toMatchObject({
      requestError: { message: 'At most 2 statements can be sent in one request.' },
    });
    expect(
      await source.invoke(
        { statements: ['SELECT :P0'], variableMap: { ':P0': 1 }, variableTypeHintMap: { ':P0': 'INT' } },
        call,
      ),
    ).toMatchObject({ requestError: { type: 'MappingTemplate' } });
  });

  it(
    'keeps the data in the data folder and seeds a database only when it is created',
    async () => {
      const again = await relationalDatabaseKind.create(
        'books',
        { type: 'RELATIONAL_DATABASE', engine: 'postgresql', databaseName: 'library', seed: 'seed.sql' },
        // A second server on the same folder, once the first has closed.
        await (async () => {
          await host.closeAll();
          return (host = testHost({ dataDir: path.join(dir, 'data'), rootDir: dir }));
        })(),
      );
      source = again;
      const answer = await run(rds.createPgStatement(rds.sql`SELECT count(*)::int AS n FROM books`));
      expect(rds.toJsonObject(JSON.stringify(answer))).toEqual([[{ n: 3 }]]);
    },
    PGLITE_START_MS,
  );
});

describe('relational database data source (MySQL)', () => {
  it('refuses to run MySQL statements locally, in one clear error', async () => {
    const mysql = await relationalDatabaseKind.create(
      'shop',
      { type: 'RELATIONAL_DATABASE', engine: 'mysql' },
      testHost(),
    );
    const outcome = await mysql.invoke(rds.createMySQLStatement(rds.select({ table: 'orders' })), call);
    expect(outcome.requestError?.type).toBe('UnsupportedOperation');
    expect(outcome.requestError?.message).toMatch(/Aurora MySQL .* cannot run them/);
  });
});
