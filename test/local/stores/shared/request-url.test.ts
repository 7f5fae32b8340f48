import { describe, expect, it } from 'vitest';
import { requestUrl } from '../../../../local/stores/shared';

describe('requestUrl', () => {
  it('reads a target starting with // as a path, never as a host', () => {
    expect(requestUrl('//graphql')?.pathname).toBe('//graphql');
    expect(requestUrl('//')?.pathname).toBe('//');
    expect(requestUrl('//x/y?header=1')?.searchParams.get('header')).toBe('1');
  });

  it('reads ordinary paths and absolute targets as they are', () => {
    expect(requestUrl('/graphql/realtime?a=b')?.pathname).toBe('/graphql/realtime');
    expect(requestUrl(undefined)?.pathname).toBe('/');
    expect(requestUrl('http://127.0.0.1:4000/graphql')?.pathname).toBe('/graphql');
  });

  it('answers undefined for a target no URL can be made of', () => {
    expect(requestUrl('*')).toBeUndefined();
    expect(requestUrl('graphql')).toBeUndefined();
  });
});
