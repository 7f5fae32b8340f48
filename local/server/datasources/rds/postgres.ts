// A PostgreSQL database in this process (PGlite: PostgreSQL compiled to WebAssembly), answering statements as the RDS
// Data API's ExecuteStatement does: records of typed fields and column metadata.
// https://docs.aws.amazon.com/rdsdataservice/latest/APIReference/API_ExecuteStatement.html (the response),
// https://docs.aws.amazon.com/rdsdataservice/latest/APIReference/API_Field.html (one value per field: longValue,
// doubleValue, stringValue, booleanValue, blobValue, arrayValue, isNull),
// https://docs.aws.amazon.com/rdsdataservice/latest/APIReference/API_ColumnMetadata.html,
// https://docs.aws.amazon.com/rdsdataservice/latest/APIReference/API_SqlParameter.html (typeHint values).
// Values travel as PostgreSQL's text form both ways, so what the records show is what PostgreSQL printed (numeric
// and timestamps keep every digit), and each parameter is typed by where it stands in the statement, as the Data API
// leaves untyped parameters to the database.
import { readFileSync } from 'node:fs';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { CACHE_DIR } from '../../../bundle-cache';
import { writeFileAtomic } from '../../../stores/shared';
import { numberParameters } from './named-parameters';

export type Field =
  | { isNull: true }
  | { booleanValue: boolean }
  | { longValue: number }
  | { doubleValue: number }
  | { stringValue: string }
  | { blobValue: string }
  | { arrayValue: ArrayValue };

export type ArrayValue =
  | { booleanValues: boolean[] }
  | { longValues: number[] }
  | { doubleValues: number[] }
  | { stringValues: string[] }
  | { arrayValues: ArrayValue[] };

export interface ColumnMetadata {
  name: string;
  label: string;
  typeName: string;
  /** The JDBC type code (java.sql.Types), as the Data API reports it. */
  type: number;
  arrayBaseColumnType: number;
  isAutoIncrement: boolean;
  isCaseSensitive: boolean;
  isCurrency: boolean;
  isSigned: boolean;
  /** 2 is JDBC's columnNullableUnknown: PostgreSQL's result description does not say. */
  nullable: number;
  precision: number;
  scale: number;
  schemaName: string;
  tableName: string;
}

export interface StatementResult {
  numberOfRecordsUpdated: number;
  records?: Field[][];
  columnMetadata?: ColumnMetadata[];
  generatedFields: [];
}

/** A statement the database refused, with PostgreSQL's message, SQLSTATE and position. */
export class DatabaseError extends Error {
  constructor(
    message: string,
    readonly sqlState?: string,
    readonly position?: string,
  ) {
    super(message);
  }
}

/** Casts for the Data API's type hints (SqlParameter.typeHint). */
const HINT_CASTS: Record<string, string> = {
  DECIMAL: '::numeric',
  TIMESTAMP: '::timestamp',
  TIME: '::time',
  DATE: '::date',
  UUID: '::uuid',
  JSON: '::json',
};

interface TypeInfo {
  name: string;
  category: string;
  /** The element type of an array type, 0 otherwise. */
  element: number;
}

// JDBC codes (java.sql.Types) for the types PostgreSQL's JDBC driver maps, which is what the Data API reports.
const JDBC_TYPES: Record<string, number> = {
  bool: -7,
  int2: 5,
  int4: 4,
  int8: -5,
  oid: -5,
  float4: 7,
  float8: 8,
  numeric: 2,
  money: 8,
  char: 1,
  bpchar: 1,
  varchar: 12,
  text: 12,
  name: 12,
  bytea: -2,
  date: 91,
  time: 92,
  timetz: 92,
  timestamp: 93,
  timestamptz: 93,
};
const JDBC_OTHER = 1111;
const JDBC_ARRAY = 2003;
const SIGNED = new Set(['int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'money']);
const TEXTUAL = new Set(['text', 'varchar', 'bpchar', 'char', 'name']);

/** A value as the text PostgreSQL reads for a parameter (PGlite sends null and undefined as NULL itself). */
function parameterText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

type ArrayParser = (typeof import('@electric-sql/pglite'))['types']['arrayParser'];

/**
 * A new database cluster starts as a copy of a pristine one kept in the cache (made by the first start on this machine
 * and version of PGlite): running initdb took about 3 s here, loading the copy about 1 s.
 */
export function templateFile(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    let folder = path.dirname(require.resolve('@electric-sql/pglite'));
    while (!folder.endsWith(`${path.sep}pglite`) && path.dirname(folder) !== folder) folder = path.dirname(folder);
    const { version } = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as { version: string };
    return path.join(CACHE_DIR, `postgres-cluster-pglite-${version}.tar.gz`);
  } catch {
    return undefined;
  }
}

export async function createCluster(
  PGliteClass: typeof import('@electric-sql/pglite').PGlite,
  dir: string | undefined,
  template = templateFile(),
): Promise<PGlite> {
  const copy = template && (await readFile(template).catch(() => undefined));
  if (copy) {
    try {
      return await PGliteClass.create({ ...(dir ? { dataDir: dir } : {}), loadDataDir: new Blob([copy]) });
    } catch {
      // A damaged copy: made afresh below, and the copy replaced.
      await rm(template!, { force: true });
      if (dir) await emptyFolder(dir);
    }
  }
  const db = await PGliteClass.create(dir ? { dataDir: dir } : {});
  if (template) {
    try {
      const dump = await db.dumpDataDir('gzip');
      await mkdir(path.dirname(template), { recursive: true });
      await writeFileAtomic(template, new Uint8Array(await dump.arrayBuffer()));
    } catch {
      // A read-only cache: every new cluster runs initdb.
    }
  }
  return db;
}

async function emptyFolder(dir: string): Promise<void> {
  for (const entry of await readdir(dir)) await rm(path.join(dir, entry), { recursive: true, force: true });
}

export class PostgresDatabase {
  private typeInfo = new Map<number, TypeInfo>();
  /** Every known type read as PostgreSQL's text, never converted by PGlite. */
  private readonly asText: Record<number, (text: string) => string> = {};
  private readonly toText: Record<number, (value: unknown) => string> = {};
  /** One statement at a time: PGlite runs one, and the Data API's statements do not interleave in a connection. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly db: PGlite,
    private readonly arrayParser: ArrayParser,
  ) {}

  /**
   * Opens the database in `dir` (in memory without one); a new database runs `seeds` (SQL files) first. A seed
   * that fails leaves no database behind, so the next start tries again.
   */
  static async open(dir: string | undefined, seeds: string[]): Promise<PostgresDatabase> {
    const isNew = dir === undefined || (await readdir(dir).catch(() => [])).length === 0;
    if (dir) await mkdir(dir, { recursive: true });
    // Loaded here, not at import: PGlite is large, and most APIs have no relational data source.
    const { PGlite, types } = await import('@electric-sql/pglite');
    const db = isNew ? await createCluster(PGlite, dir) : await PGlite.create({ dataDir: dir });
    const database = new PostgresDatabase(db, types.arrayParser);
    try {
      if (isNew) {
        for (const seed of seeds) {
          const sql = await readFile(seed, 'utf8');
          try {
            await db.exec(sql);
          } catch (error) {
            throw new Error(`the SQL seed ${seed} failed: ${(error as Error).message}`);
          }
        }
      }
      await database.loadTypes();
    } catch (error) {
      await db.close().catch(() => {});
      if (dir && isNew) await rm(dir, { recursive: true, force: true });
      throw error;
    }
    return database;
  }

  private async loadTypes(only?: number[]): Promise<void> {
    const { rows } = await this.db.query<{ oid: number; typname: string; typcategory: string; typelem: number }>(
      only
        ? 'SELECT oid::int4 AS oid, typname, typcategory, typelem::int4 AS typelem FROM pg_type WHERE oid = ANY($1::oid[])'
        : 'SELECT oid::int4 AS oid, typname, typcategory, typelem::int4 AS typelem FROM pg_type',
      only ? [`{${only.join(',')}}`] : [],
    );
    for (const row of rows) {
      this.typeInfo.set(row.oid, { name: row.typname, category: row.typcategory, element: row.typelem });
      this.asText[row.oid] = (text) => text;
      this.toText[row.oid] = parameterText;
    }
  }

  /** Runs one statement with the Data API's `:name` parameters. */
  execute(sql: string, variables: Record<string, unknown>, hints: Record<string, string>): Promise<StatementResult> {
    const run = this.queue.then(() => this.run(sql, variables, hints));
    this.queue = run.catch(() => {});
    return run;
  }

  private async run(
    sql: string,
    variables: Record<string, unknown>,
    hints: Record<string, string>,
  ): Promise<StatementResult> {
    const numbered = numberParameters(sql, (name) => HINT_CASTS[hints[`:${name}`]] ?? '');
    const missing = numbered.names.find((name) => !Object.hasOwn(variables, `:${name}`));
    if (missing) throw new DatabaseError(`No value specified for parameter: ${missing}`);
    const values = numbered.names.map((name) => variables[`:${name}`] ?? null);
    let result;
    try {
      result = await this.db.query<unknown[]>(numbered.text, values, {
        rowMode: 'array',
        parsers: this.asText,
        serializers: this.toText,
      });
    } catch (error) {
      const { message, code, position } = error as { message: string; code?: string; position?: string };
      throw new DatabaseError(message, code, position);
    }
    const unknownTypes = result.fields.map((f) => f.dataTypeID).filter((oid) => !this.typeInfo.has(oid));
    if (unknownTypes.length > 0) await this.loadTypes([...new Set(unknownTypes)]);
    const updated = ['INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes((result as { command?: string }).command ?? '')
      ? (result.affectedRows ?? 0)
      : 0;
    if (result.fields.length === 0) return { numberOfRecordsUpdated: updated, generatedFields: [] };
    return {
      numberOfRecordsUpdated: updated,
      records: result.rows.map((row) => row.map((text, index) => this.field(text, result.fields[index].dataTypeID))),
      columnMetadata: result.fields.map((field) => this.column(field.name, field.dataTypeID)),
      generatedFields: [],
    };
  }

  private field(text: unknown, oid: number): Field {
    if (text === null || text === undefined) return { isNull: true };
    const info = this.typeInfo.get(oid);
    if (info && info.category === 'A' && info.element !== 0) {
      return {
        arrayValue: this.arrayValue(
          this.arrayParser(String(text), (part: string) => part, oid),
          info.element,
        ),
      };
    }
    return this.scalar(String(text), info?.name);
  }

  private scalar(text: string, typeName: string | undefined): Field {
    switch (typeName) {
      case 'bool':
        return { booleanValue: text === 't' };
      case 'int2':
      case 'int4':
      case 'int8':
      case 'oid':
        return { longValue: Number(text) };
      case 'float4':
      case 'float8': {
        const number = Number(text);
        return Number.isFinite(number) ? { doubleValue: number } : { stringValue: text };
      }
      case 'bytea':
        return { blobValue: Buffer.from(text.replace(/^\\x/, ''), 'hex').toString('base64') };
      default:
        return { stringValue: text };
    }
  }

  /** A PostgreSQL array as the Data API's ArrayValue (nested arrays as arrayValues). */
  private arrayValue(items: unknown[], element: number): ArrayValue {
    if (items.some(Array.isArray)) {
      return { arrayValues: items.map((item) => this.arrayValue(Array.isArray(item) ? item : [item], element)) };
    }
    const name = this.typeInfo.get(element)?.name;
    const texts = items.map((item) => (item === null ? '' : String(item)));
    switch (name) {
      case 'bool':
        return { booleanValues: texts.map((t) => t === 't') };
      case 'int2':
      case 'int4':
      case 'int8':
        return { longValues: texts.map(Number) };
      case 'float4':
      case 'float8':
        return { doubleValues: texts.map(Number) };
      default:
        return { stringValues: texts };
    }
  }

  private column(name: string, oid: number): ColumnMetadata {
    const info = this.typeInfo.get(oid);
    const typeName = info?.name ?? String(oid);
    const isArray = info?.category === 'A' && info.element !== 0;
    const elementName = isArray ? this.typeInfo.get(info.element)?.name : undefined;
    return {
      name,
      label: name,
      typeName,
      type: isArray ? JDBC_ARRAY : (JDBC_TYPES[typeName] ?? JDBC_OTHER),
      arrayBaseColumnType: elementName ? (JDBC_TYPES[elementName] ?? JDBC_OTHER) : 0,
      isAutoIncrement: false,
      isCaseSensitive: TEXTUAL.has(typeName),
      isCurrency: typeName === 'money',
      isSigned: SIGNED.has(typeName),
      nullable: 2,
      precision: 0,
      scale: 0,
      schemaName: '',
      tableName: '',
    };
  }

  async close(): Promise<void> {
    await this.queue;
    await this.db.close();
  }
}
