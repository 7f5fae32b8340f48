/** Set by a launcher of ours on the command it spawns: the launcher's pid. */
export const LAUNCHER_PID_VARIABLE: string;

/**
 * Calls `onGone` once when the launcher this process depends on (a launcher of ours, npm and its shell) has gone;
 * returns a function that stops watching (bin/lifeline.js).
 */
export function whenLauncherGone(onGone: () => void): () => void;
