// AppSync's NONE data source: nothing is called; the request's `payload` becomes ctx.result.
import type { DataSourceKind } from './types';

export const noneKind: DataSourceKind<'NONE'> = {
  create() {
    return {
      answersWithPayload: true,
      // Only reached by callers other than the engine's resolver runs, which answer NONE themselves.
      invoke: async (request) => ({ result: (request as { payload?: unknown } | null)?.payload ?? null }),
    };
  },
};
