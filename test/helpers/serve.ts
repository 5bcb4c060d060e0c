/** `eleventy --serve` and other long-running children in tests: a free port, and waits on what they print. */
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";

/** A port nothing listens on, found by binding to port 0 on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? done(address.port) : fail(new Error("no port"))));
    });
  });
}

/** A child process whose output is collected, with waits on what it prints. */
export class Watched {
  output = "";
  #lastOutputAt = Date.now();
  #exited: Promise<void>;
  constructor(readonly child: ChildProcess) {
    const collect = (chunk: Buffer) => {
      this.output += chunk.toString();
      this.#lastOutputAt = Date.now();
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    this.#exited = new Promise((done) => child.once("exit", () => done()));
  }

  count(pattern: RegExp): number {
    return this.output.match(new RegExp(pattern.source, "g"))?.length ?? 0;
  }

  async waitFor(pattern: RegExp, limit: number): Promise<void> {
    const start = Date.now();
    while (!pattern.test(this.output)) {
      if (Date.now() - start > limit) throw new Error(`no ${pattern} within ${limit} ms:\n${this.output}`);
      if (this.child.exitCode !== null) throw new Error(`eleventy exited (${this.child.exitCode}):\n${this.output}`);
      await new Promise((done) => setTimeout(done, 50));
    }
  }

  /**
   * Make an edit and wait until Eleventy's watcher reports a changed file. A watcher that is still
   * starting may miss it (seen on a loaded CI runner): then the edit is made again.
   */
  async edit(write: () => Promise<void>, limit = 30_000): Promise<void> {
    const before = this.count(/File changed/);
    const start = Date.now();
    for (;;) {
      await write();
      const madeAt = Date.now();
      while (this.count(/File changed/) === before && Date.now() - madeAt < 3_000) await new Promise((done) => setTimeout(done, 50));
      if (this.count(/File changed/) > before) return;
      if (Date.now() - start > limit) throw new Error(`no "File changed" within ${limit} ms of the edit:\n${this.output}`);
    }
  }

  /** Wait until the process has printed nothing for `spell` ms (rebuilds print; a rebuild loop never goes quiet). */
  async quiet(spell: number, limit = 20_000): Promise<void> {
    const start = Date.now();
    while (Date.now() - this.#lastOutputAt < spell) {
      if (Date.now() - start > limit) return; // still printing: the counts will tell
      await new Promise((done) => setTimeout(done, 100));
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      this.child.kill();
      await this.#exited;
    }
  }
}
