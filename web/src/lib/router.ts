// Path routing for a handful of screens: the browser's history and one event, no router library. CloudFront (and Vite)
// answer every path with index.html, so a reload or a shared link opens the same screen.
import { useSyncExternalStore, type MouseEvent } from 'react';

const NAVIGATED = 'notes:navigated';

function subscribe(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener(NAVIGATED, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(NAVIGATED, listener);
  };
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATED));
}

/** For an <a href>: in-app navigation on a plain click, the browser's own for a new tab or window. */
export function followLink(event: MouseEvent<HTMLAnchorElement>): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
    return;
  event.preventDefault();
  navigate(event.currentTarget.getAttribute('href') ?? '/');
}

export type Route =
  | { screen: 'notes' }
  | { screen: 'new-note' }
  | { screen: 'note'; noteId: string }
  | { screen: 'sign-in' }
  | { screen: 'sign-up' }
  | { screen: 'not-found' };

export function routeOf(path: string): Route {
  if (path === '/' || path === '') return { screen: 'notes' };
  if (path === '/notes/new') return { screen: 'new-note' };
  if (path === '/sign-in') return { screen: 'sign-in' };
  if (path === '/sign-up') return { screen: 'sign-up' };
  const note = /^\/notes\/([0-9A-Za-z]+)$/.exec(path);
  if (note) return { screen: 'note', noteId: note[1] };
  return { screen: 'not-found' };
}
