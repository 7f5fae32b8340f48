// The app shell: reads the outputs file, then shows the screen the path names (sign-in screens when signed out).
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { NotesApiError } from '@appsync-notes/client';
import { useEffect, useState } from 'react';
import { loadConfig } from './config';
import { Header } from './components/Header';
import { EditNote } from './containers/EditNote';
import { NewNote } from './containers/NewNote';
import { NotFound } from './containers/NotFound';
import { Notes } from './containers/Notes';
import { SignIn } from './containers/SignIn';
import { SignUp } from './containers/SignUp';
import { BackendProvider, createBackend, useBackend, useSignedIn, type Backend } from './lib/backend';
import { describeError } from './lib/errors';
import { useLiveNotes } from './lib/live';
import { routeOf, usePath } from './lib/router';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Download URLs last 15 minutes; a page read within 5 is reused, older ones are fetched again.
      staleTime: 5 * 60_000,
      // The SDK already retries what is safe to retry; a refusal (401, NotFound) is final.
      retry: false,
      refetchOnWindowFocus: false,
    },
  },
});

export function App() {
  const [backend, setBackend] = useState<Backend | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    loadConfig().then(
      (config) => setBackend(createBackend(config)),
      (error: unknown) => setFailure(describeError(error)),
    );
  }, []);

  if (failure) {
    return (
      <main className="page narrow">
        <h1>Notes cannot start</h1>
        <p role="alert">{failure}</p>
      </main>
    );
  }
  if (!backend) return <p className="loading">Loading…</p>;
  return (
    <BackendProvider backend={backend}>
      <QueryClientProvider client={queryClient}>
        <Screens />
      </QueryClientProvider>
    </BackendProvider>
  );
}

/** Keeps what the screens show up to date with changes made on the user's other devices. */
function LiveNotes() {
  useLiveNotes();
  return null;
}

function Screens() {
  const { session } = useBackend();
  const signedIn = useSignedIn();
  const route = routeOf(usePath());

  // A token the API refuses ends the session, wherever the call was made.
  useEffect(
    () =>
      queryClient.getQueryCache().subscribe((event) => {
        const error = event.query.state.error;
        if (error instanceof NotesApiError && error.errorType === 'UnauthorizedException') session.signOut();
      }),
    [session],
  );
  useEffect(() => {
    if (!signedIn) queryClient.clear();
  }, [signedIn]);

  if (!signedIn) {
    return (
      <>
        <Header />
        {route.screen === 'sign-up' ? <SignUp /> : <SignIn />}
      </>
    );
  }
  return (
    <>
      <LiveNotes />
      <Header />
      {route.screen === 'notes' || route.screen === 'sign-in' || route.screen === 'sign-up' ? (
        <Notes />
      ) : route.screen === 'new-note' ? (
        <NewNote />
      ) : route.screen === 'note' ? (
        <EditNote key={route.noteId} noteId={route.noteId} />
      ) : (
        <NotFound />
      )}
    </>
  );
}
