/** Run a Node program as a child process and collect its exit code and output, without colours. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runNode(script: string, args: string[], cwd: string): Promise<RunResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
