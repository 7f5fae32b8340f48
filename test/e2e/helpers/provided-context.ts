// Values a run's global setup hands to every test file (vitest's provide/inject).
declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by the DynamoDB Local run's global setup: every server in the run uses that store instead of dynalite. */
    dynamodbEndpoint?: string;
  }
}

export {};
