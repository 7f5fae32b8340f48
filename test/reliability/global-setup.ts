// Once per `npm run test:reliability`: a run folder for the pid file, and a fresh figures file under
// test/reliability/output/ (git-ignored) that every test file appends to; at the end, any server a crashed test file
// left behind is killed (only the process groups this run recorded), and the figures are printed together.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { killGroup, PID_FILE_VARIABLE } from './helpers/processes';
import { REPORT_FILE_VARIABLE } from './helpers/report';

const OUTPUT_DIR = fileURLToPath(new URL('output', import.meta.url));

export default function setup(): () => void {
  const runDir = mkdtempSync(path.join(tmpdir(), 'reliability-run-'));
  const pidFile = path.join(runDir, 'pids');
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const reportFile = path.join(OUTPUT_DIR, 'figures.txt');
  writeFileSync(reportFile, `npm run test:reliability, ${new Date().toISOString()}\n`);
  process.env[PID_FILE_VARIABLE] = pidFile;
  process.env[REPORT_FILE_VARIABLE] = reportFile;
  return () => {
    if (existsSync(pidFile)) {
      for (const pid of readFileSync(pidFile, 'utf8').split('\n').filter(Boolean)) killGroup(Number(pid), 'SIGKILL');
    }
    if (existsSync(reportFile)) {
      process.stdout.write(`\nReliability figures (${reportFile})\n${readFileSync(reportFile, 'utf8')}\n`);
    }
    rmSync(runDir, { recursive: true, force: true });
  };
}
