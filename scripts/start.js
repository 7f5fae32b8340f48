// `npm start` (and `npm run dev`): the local API and the web app beside it, in one terminal, stopped together.
// The API runs as `appsync-local serve` in a child process (its banner and request log as always); the web app is
// Vite's dev server in this process, which hands the page the API's `/amplify_outputs.json`. Arguments go to the API
// (`npm start -- --port 5000 --data-dir /tmp/x`); `WEB_PORT` moves the web app (default 5173), `WEB=0` leaves it out.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { LAUNCHER_PID_VARIABLE, whenLauncherGone } from '../bin/lifeline.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const apiArgs = process.argv.slice(2);

// The API's port decides where the web app finds its outputs file, so the web app needs a fixed one.
const { values } = parseArgs({ args: apiArgs, options: { port: { type: 'string' } }, strict: false });
const apiPort = Number(values.port ?? process.env.PORT ?? 4000);
const withWeb = process.env.WEB !== '0' && apiPort !== 0;

// The API stops by itself when this process is gone, even killed (bin/lifeline.js).
const api = spawn(
  process.execPath,
  ['bin/appsync-local.js', 'serve', '--config', 'appsync-local.config.ts', ...apiArgs],
  { cwd: root, stdio: 'inherit', env: { ...process.env, [LAUNCHER_PID_VARIABLE]: String(process.pid) } },
);

// How long the API may take to close (its stores flush to disk) before it is killed.
const API_CLOSE_TIMEOUT_MS = 20_000;

let web;
let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  stopWatching();
  await web?.close();
  if (api.exitCode === null && api.signalCode === null) {
    api.kill('SIGTERM');
    setTimeout(() => api.kill('SIGKILL'), API_CLOSE_TIMEOUT_MS).unref();
  }
  process.exitCode = code;
}
api.on('exit', (code) => void stop(code ?? 0));
// Repeated signals (Ctrl-C reaches every process of the terminal's group) change nothing once stopping.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stop(0));
// npm, and the shell it runs this script with, can go without passing a signal on (killed, or its terminal closed).
const stopWatching = whenLauncherGone(() => void stop(0));

if (withWeb) {
  process.env.NOTES_API_URL = `http://127.0.0.1:${apiPort}`;
  const { createServer } = await import('vite');
  try {
    web = await createServer({ root: `${root}web`, configFile: `${root}web/vite.config.ts`, logLevel: 'warn' });
    await web.listen();
    const url = web.resolvedUrls?.local[0] ?? `http://127.0.0.1:${web.config.server.port}/`;
    // Printed under the API's banner, once the API answers.
    await apiAnswering(process.env.NOTES_API_URL);
    process.stdout.write(`  Web app   ${url}   (sign up, or sign in as a local user)\n\n`);
  } catch (error) {
    process.stderr.write(`The web app did not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.stderr.write('The API keeps running; WEB_PORT=<port> npm start picks another port for the web app.\n');
  }
}

async function apiAnswering(url) {
  while (!stopping) {
    try {
      await fetch(`${url}/graphql`, { method: 'OPTIONS' });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
