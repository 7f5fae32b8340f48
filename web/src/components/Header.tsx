import { useBackend, useSignedIn } from '../lib/backend';
import { followLink, navigate } from '../lib/router';

export function Header() {
  const { session } = useBackend();
  const signedIn = useSignedIn();
  return (
    <header className="app-header">
      <a className="brand" href="/" onClick={followLink}>
        <img src="/favicon.svg" alt="" width="24" height="24" />
        Notes
      </a>
      {signedIn && (
        <div className="account">
          <span className="account-email" title={signedIn.email}>
            {signedIn.email}
          </span>
          <button
            type="button"
            className="button subtle"
            onClick={() => {
              session.signOut();
              navigate('/sign-in', { replace: true });
            }}
          >
            Sign out
          </button>
        </div>
      )}
    </header>
  );
}
