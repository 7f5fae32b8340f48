// The backend as the screens see it: the session and the SDK's client, built once from the outputs file and handed
// down by context. Every API call goes through @appsync-notes/client.
import { createNotesClient, type NotesClient } from '@appsync-notes/client';
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { AppConfig } from '../config';
import { createSession, type Session, type SignedIn } from './session';

export interface Backend {
  config: AppConfig;
  session: Session;
  notes: NotesClient;
}

export function createBackend(config: AppConfig): Backend {
  const session = createSession(config.userPool);
  const notes = createNotesClient({ url: config.graphqlUrl, getToken: () => session.idToken() });
  return { config, session, notes };
}

const BackendContext = createContext<Backend | null>(null);

export function BackendProvider({ backend, children }: { backend: Backend; children: ReactNode }) {
  return <BackendContext.Provider value={backend}>{children}</BackendContext.Provider>;
}

export function useBackend(): Backend {
  const backend = useContext(BackendContext);
  if (!backend) throw new Error('useBackend outside BackendProvider');
  return backend;
}

export function useSignedIn(): SignedIn | null {
  const { session } = useBackend();
  return useSyncExternalStore(session.subscribe, session.current);
}
