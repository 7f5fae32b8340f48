// Once per `npm run test:reliability`: a run folder for the pid and report files every test file appends to; at the
// end, any server a crashed test file left behind is killed (only the process groups this run recorded), and the
// figures are printed together.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { killGroup, PID_FILE_VARIABLE } from './helpers/processes';
import { REPORT_FILE_VARIABLE } from './helpers/report';

export default function setup(): () => void {
  const runDir = mkdtempSync(path.join(tmpdir(), 'reliability-run-'));
  const pidFile = path.join(runDir, 'pids');
  const reportFile = path.join(runDir, 'report');
  process.env[PID_FILE_VARIABLE] = pidFile;
  process.env[REPORT_FILE_VARIABLE] = reportFile;
  return () => {
    if (existsSync(pidFile)) {
      for (const pid of readFileSync(pidFile, 'utf8').split('\n').filter(Boolean)) killGroup(Number(pid), 'SIGKILL');
    }
    if (existsSync(reportFile)) {
      process.stdout.write(`\nReliability figures\n${readFileSync(reportFile, 'utf8')}\n`);
    }
    rmSync(runDir, { recursive: true, force: true });
  };
}
