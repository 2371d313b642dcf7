/**
 * The Steering port: what the user says to a running run, read by the core between steps. The extension
 * fills it from the sidebar; the CLI has none. Notes are logged as `user-note` records, shown in the
 * timeline and put into the planner's next prompt; a resumed run reads them back from the log.
 */
export interface Steering {
  /** the notes the user wrote since the last time the core asked, oldest first */
  takeNotes(): string[];
  /** resolves when the next step may start: at once, unless the user asked to pause after this step */
  untilContinued(signal: AbortSignal): Promise<void>;
}
