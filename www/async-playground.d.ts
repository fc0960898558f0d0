// Types for <async-playground> (async-playground.js). The engine's types
// (Report, Diagnostic, RunOptions, ...) are in pkg/async_playground.d.ts; the
// studio package's (Moment, SeedSpread; loaded after ready) in
// pkg-studio/async_playground_studio.d.ts.
import type { Report } from "./pkg/async_playground.js";

export declare class AsyncPlayground extends HTMLElement {
  /** The program text in the editor. */
  code: string;
  /** The clock switch: "real" or "virtual" (the `clock` attribute sets it). */
  readonly clock: "real" | "virtual";
  /** The replay speed: "0.25".."8" or "instant". */
  readonly speed: string;
  /** Runs the program (loading the engine first if needed); the report, or null if it did not run. */
  run(): Promise<Report | null>;
  /** Stops the run or the replay in progress. */
  stop(options?: { quiet?: boolean }): void;
}

declare global {
  interface HTMLElementTagNameMap {
    "async-playground": AsyncPlayground;
  }
}
