import { useId, useState, type FormEvent } from 'react';
import { ErrorMessage } from '../components/ErrorMessage';
import { LoaderButton } from '../components/LoaderButton';
import { useBackend } from '../lib/backend';
import { followLink, navigate } from '../lib/router';

export function SignIn({ notice }: { notice?: string }) {
  const { session } = useBackend();
  const id = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.signIn(email.trim(), password);
      navigate('/', { replace: true });
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  }

  return (
    <main className="page narrow">
      <h1>Sign in</h1>
      {notice && (
        <p className="message success" role="status">
          {notice}
        </p>
      )}
      <form className="card form" onSubmit={submit} aria-label="Sign in">
        <div className="field">
          <label htmlFor={`${id}-email`}>Email</label>
          <input
            id={`${id}-email`}
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>Password</label>
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
        <ErrorMessage error={error} />
        <LoaderButton type="submit" busy={busy} busyLabel="Signing in…">
          Sign in
        </LoaderButton>
      </form>
      <p className="aside">
        New here?{' '}
        <a href="/sign-up" onClick={followLink}>
          Create an account
        </a>
      </p>
    </main>
  );
}
