/**
 * fast-check's seed: random on a developer's machine (each run explores new inputs), fixed under CI so a
 * gate cannot turn red on an input no change produced. `FC_SEED` sets it anywhere, to replay a failure
 * (fast-check prints the seed with every counterexample).
 */
import fc from "fast-check";

const seed = process.env.FC_SEED ?? (process.env.CI ? "20261203" : undefined);
if (seed !== undefined) fc.configureGlobal({ seed: Number(seed) });
