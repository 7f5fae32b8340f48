import { describe, expect, it } from 'vitest';
import { rds } from '../../../../local/runtime/realm/utils/rds';

function column(name: string): Record<string, unknown> {
  return { label: name, name, typeName: 'VARCHAR', tableName: 'Books', type: 12, nullable: 0 };
}

// The example of AppSync's util.rds reference: `select * from Books limit 2`.
const BOOKS = {
  sqlStatementResults: [
    {
      numberOfRecordsUpdated: 0,
      records: [
        [
          { stringValue: 'Mark Twain' },
          { stringValue: 'Adventures of Huckleberry Finn' },
          { stringValue: '978-1948132817' },
        ],
        [{ stringValue: 'Jack London' }, { stringValue: 'The Call of the Wild' }, { stringValue: '978-1948132275' }],
      ],
      columnMetadata: [column('author'), column('title'), column('ISBN-13')],
    },
  ],
};

describe('util.rds.toJsonObject', () => {
  // EvaluateCode's recorded answer for this example (localstack/appsync-utils snapshots): a list per statement.
  it('converts the documented example into one list of records per statement', () => {
    expect(rds.toJsonObject(BOOKS)).toEqual([
      [
        { author: 'Mark Twain', title: 'Adventures of Huckleberry Finn', 'ISBN-13': '978-1948132817' },
        { author: 'Jack London', title: 'The Call of the Wild', 'ISBN-13': '978-1948132275' },
      ],
    ]);
  });

  it('accepts the result as JSON text', () => {
    expect(rds.toJsonObject(JSON.stringify(BOOKS))).toEqual(rds.toJsonObject(BOOKS));
  });

  // A NULL field leaves its key out, as EvaluateCode's recorded answer shows (localstack/appsync-utils snapshots,
  // "rds resolvers toJsonObject": the row whose optional_double is { isNull: true } has no optional_double).
  it('reads every kind of field value', () => {
    const result = {
      sqlStatementResults: [
        {
          records: [
            [
              { longValue: 42 },
              { doubleValue: 1.5 },
              { booleanValue: true },
              { isNull: true },
              { blobValue: 'AQID' },
              { arrayValue: { stringValues: ['a', 'b'] } },
              { arrayValue: { arrayValues: [{ longValues: [1, 2] }] } },
            ],
          ],
          columnMetadata: ['n', 'd', 'b', 'z', 'blob', 'tags', 'matrix'].map(column),
        },
      ],
    };
    expect(rds.toJsonObject(result)).toEqual([
      [{ n: 42, d: 1.5, b: true, blob: 'AQID', tags: ['a', 'b'], matrix: [[1, 2]] }],
    ]);
  });

  // Recorded from EvaluateCode ("toJsonObject insert or update"): one empty record for a statement without records.
  it('gives one empty record for a statement that returns no records', () => {
    expect(rds.toJsonObject({ sqlStatementResults: [{ numberOfRecordsUpdated: 3 }] })).toEqual([[{}]]);
  });

  it('rejects text that is not JSON', () => {
    expect(() => rds.toJsonObject('{oops')).toThrow(/^util\.rds\.toJsonObject: the result is not valid JSON/);
  });

  it('rejects an object without sqlStatementResults', () => {
    expect(() => rds.toJsonObject({ records: [] })).toThrow(
      'util.rds.toJsonObject: expected an RDS Data API result with sqlStatementResults, got an object',
    );
  });

  it('rejects records without column metadata to name them', () => {
    expect(() => rds.toJsonObject({ sqlStatementResults: [{ records: [[{ longValue: 1 }]] }] })).toThrow(
      'util.rds.toJsonObject: records need columnMetadata to be named (run the statement with includeResultMetadata)',
    );
  });
});
