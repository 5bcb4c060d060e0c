/** Types for scripts/build-client.mjs (used by tests, size and bench scripts). */
export declare const clientEntry: string;
export declare const clientOutput: string;
export declare const clientGeoOutput: string;
export declare const PLACEHOLDER: string;
export declare function buildClient(options?: { write?: boolean }): Promise<{ code: string; geo: string }>;
export declare function loadLocalizeModule(): Promise<typeof import("../src/localize/index.js")>;
