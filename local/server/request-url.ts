// The URL of an incoming request, from its request-target. `new URL(target, base)` reads a target starting with `//`
// as a host (`//graphql` is host "graphql", path "/") and throws on `//` itself; any client can send such a request
// line, and one thrown in an upgrade handler ended the whole process. So a target is always read as a path (or as
// the absolute URL it is), and one no URL can be made of is undefined: the caller answers 400.
export function requestUrl(target: string | undefined): URL | undefined {
  const value = target ?? '/';
  try {
    return value.startsWith('/') ? new URL(`http://localhost${value}`) : new URL(value);
  } catch {
    return undefined;
  }
}
