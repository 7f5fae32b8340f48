// Web origins: the pages allowed to upload to and download from the attachments bucket. The deployed bucket and the
// local S3 endpoint read them the same way (`-c webOrigins`, cdk.json, WEB_ORIGINS, `--cors-origin`).

/** Origins from `-c webOrigins=a,b`, a JSON list in cdk.json, or WEB_ORIGINS. */
export function webOriginsFrom(value: unknown): string[] {
  if (Array.isArray(value)) {
    return value.map(String);
  }
  return typeof value === 'string'
    ? value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean)
    : [];
}

/** At least one origin, each exact (scheme, host, optional port; no path, no '*'), except those `isComputed` skips. */
export function assertExactOrigins(
  origins: readonly string[],
  isComputed: (origin: string) => boolean = () => false,
): void {
  if (!Array.isArray(origins) || origins.length === 0) {
    throw new Error('webOrigins must list at least one origin, e.g. https://notes.example.com');
  }
  for (const origin of origins) {
    if (isComputed(origin)) continue;
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (origin.includes('*') || !parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      throw new Error(
        `webOrigins entry ${JSON.stringify(origin)} must be an exact origin like https://notes.example.com`,
      );
    }
  }
}
