import { followLink } from '../lib/router';

export function NotFound() {
  return (
    <main className="page narrow">
      <h1>Nothing here</h1>
      <p>
        <a href="/" onClick={followLink}>
          Back to your notes
        </a>
      </p>
    </main>
  );
}
