import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  beginEvaluation,
  endEvaluation,
  newEvaluationState,
  type EvaluationState,
} from '../../../../local/runtime/realm/evaluation';
import { http } from '../../../../local/runtime/realm/utils/http';

let state: EvaluationState;

beforeEach(() => {
  state = beginEvaluation(newEvaluationState());
});

afterEach(() => endEvaluation());

describe('util.http.copyHeaders', () => {
  it('drops the restricted headers AppSync lists, whatever their case', () => {
    const headers = {
      'content-type': 'application/json',
      Authorization: 'Bearer x',
      Host: 'api.example.com',
      'Content-Length': '12',
      'transfer-encoding': 'chunked',
      connection: 'keep-alive',
      expect: '100-continue',
      'keep-alive': 'timeout=5',
      upgrade: 'h2c',
      'proxy-authenticate': 'Basic',
      'proxy-authorization': 'Basic x',
      te: 'trailers',
      'x-custom': 'kept',
    };
    expect(http.copyHeaders(headers)).toEqual({
      'content-type': 'application/json',
      Authorization: 'Bearer x',
      'x-custom': 'kept',
    });
  });

  it('returns a copy, leaving the original alone', () => {
    const headers = { a: '1' };
    const copy = http.copyHeaders(headers);
    copy.a = '2';
    expect(headers.a).toBe('1');
  });

  it('rejects headers that are not an object', () => {
    expect(() => http.copyHeaders(null as unknown as Record<string, string>)).toThrow(
      'util.http.copyHeaders: headers must be an object, got null',
    );
  });
});

describe('util.http.addResponseHeader', () => {
  // AppSync's documented example.
  it('records the documented example headers', () => {
    http.addResponseHeader('itemsCount', 7);
    http.addResponseHeader('render', 'fast');
    expect(state.responseHeaders).toEqual({ itemsCount: '7', render: 'fast' });
    expect(state.outErrors).toEqual([]);
  });

  it('keeps the latest definition of a header, whatever its case', () => {
    http.addResponseHeader('X-Count', 1);
    http.addResponseHeader('x-count', 2);
    expect(state.responseHeaders).toEqual({ 'x-count': '2' });
  });

  it.each(['', 'Content-Type', 'vary', 'Access-Control-Allow-Origin', 'host', 'x-amz-date', 'X-Amzn-RequestId'])(
    'ignores the restricted name %j and reports a ResponseHeaderError',
    (name) => {
      http.addResponseHeader(name, 'v');
      expect(state.responseHeaders ?? {}).toEqual({});
      expect(state.outErrors).toHaveLength(1);
      expect(state.outErrors[0].errorType).toBe('ResponseHeaderError');
    },
  );

  it('ignores a null value and reports a ResponseHeaderError', () => {
    http.addResponseHeader('x-empty', null);
    expect(state.responseHeaders ?? {}).toEqual({});
    expect(state.outErrors[0]).toEqual({
      message: "Response header 'x-empty' was ignored: the value is null",
      errorType: 'ResponseHeaderError',
    });
  });

  it('refuses names and values that cannot travel in HTTP', () => {
    http.addResponseHeader('bad name', 'v');
    http.addResponseHeader('x-injected', 'a\r\nSet-Cookie: x=1');
    expect(state.responseHeaders ?? {}).toEqual({});
    expect(state.outErrors.map((error) => error.errorType)).toEqual(['ResponseHeaderError', 'ResponseHeaderError']);
  });

  it('counts every header towards the 4 KB limit and refuses the one that passes it', () => {
    http.addResponseHeader('x-a', 'a'.repeat(2000));
    http.addResponseHeader('x-a', 'b'.repeat(2000));
    http.addResponseHeader('x-b', 'c'.repeat(100));
    expect(state.responseHeaders).toEqual({ 'x-a': 'b'.repeat(2000) });
    expect(state.outErrors[0].message).toContain('would exceed 4096 bytes');
  });
});

describe('util.http.addResponseHeaders', () => {
  // AppSync's documented example: objects are sent as JSON text.
  it('records each header of the documented example map', () => {
    http.addResponseHeaders({
      headerInt: 12,
      headerString: 'stringValue',
      headerObject: { field1: 7, field2: 'string' },
    });
    expect(state.responseHeaders).toEqual({
      headerInt: '12',
      headerString: 'stringValue',
      headerObject: '{"field1":7,"field2":"string"}',
    });
  });

  it('applies the restrictions to each header on its own', () => {
    http.addResponseHeaders({ good: 'yes', 'x-amz-bad': 'no' });
    expect(state.responseHeaders).toEqual({ good: 'yes' });
    expect(state.outErrors).toHaveLength(1);
  });

  it('rejects a map that is not an object', () => {
    expect(() => http.addResponseHeaders('x' as unknown as Record<string, unknown>)).toThrow(
      'util.http.addResponseHeaders: headers must be an object, got string',
    );
  });
});
