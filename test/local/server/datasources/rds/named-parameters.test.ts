// The Data API's `:name` parameters become PostgreSQL's `$n`, and nothing that only looks like one is touched.
// Parameter syntax: https://docs.aws.amazon.com/rdsdataservice/latest/APIReference/API_SqlParameter.html
import { describe, expect, it } from 'vitest';
import { numberParameters } from '../../../../../local/server/datasources/rds/named-parameters';

describe('numberParameters', () => {
  it('numbers each distinct name once, in order of first use', () => {
    expect(numberParameters('SELECT * FROM "t" WHERE "a" = :P0 OR "b" = :P1 OR "c" = :P0')).toEqual({
      text: 'SELECT * FROM "t" WHERE "a" = $1 OR "b" = $2 OR "c" = $1',
      names: ['P0', 'P1'],
    });
  });

  it('leaves casts, literals, quoted identifiers, comments and dollar quotes alone', () => {
    const sql = [
      "SELECT data::jsonb, ':no', E'it\\'s :no', \"col:no\", $$ :no $$, $tag$ :no $tag$ -- :no",
      '/* :no */ FROM t WHERE id = :id',
    ].join('\n');
    expect(numberParameters(sql)).toEqual({ text: sql.replace(':id', '$1'), names: ['id'] });
  });

  it('adds the cast a type hint asks for after the parameter', () => {
    const cast = (name: string) => (name === 'P0' ? '::uuid' : '');
    expect(numberParameters('WHERE id = :P0 AND n = :P1', cast).text).toBe('WHERE id = $1::uuid AND n = $2');
  });
});
