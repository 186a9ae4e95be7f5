// The incident snapshot: build (pure), render as Markdown, write both files.
export {buildSnapshot, hiveConsoleVersion, redactedConfig, scrub, SNAPSHOT_SCHEMA, SNAPSHOT_WINDOW_MS, type SnapshotDocument, type SnapshotInput} from './build.js';
export {cell, renderMarkdown} from './markdown.js';
export {defaultSnapshotDir, snapshotBaseName, writeSnapshot, type WrittenSnapshot} from './write.js';
export {takeSnapshot, type TakenSnapshot, type TakeSnapshotOptions} from './take.js';
