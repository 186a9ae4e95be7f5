// The demo's defaults, read by the CLI's help text and by the demo itself (kept apart so that the help
// does not load the demo). At ×60 a simulated hour passes in a minute: each runbook scenario goes from its
// banner to a verified recovery in about a minute of wall time, and the header shows the factor.
export const DEMO_SPEED = 60;
export const DEMO_AGENTS = 12;
/** Seconds between polls: at ×60 that is two simulated minutes, and a verification's two polls take 4 s. */
export const DEMO_INTERVAL = 2;
