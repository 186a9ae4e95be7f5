// The timeline: what changed, in order, on the hive's clock (change detection, flapping, the file, the recorder).
export * from './types.js';
export {factsOf, diffFacts, carryUnknown, timelineStep, GROUP_LIMIT, type TimelineFacts, type AgentCondition} from './changes.js';
export {Folder, DEFAULT_FLAP_WINDOW_MS} from './fold.js';
export {
	DEFAULT_TIMELINE_CAP_BYTES,
	contextSlug,
	openTimelineWriter,
	parseTimeline,
	readTimeline,
	timelineDir,
	timelinePaths,
	TimelineFileError,
	type TimelineReadResult,
	type TimelineWriter,
	type TimelineWriterOptions,
} from './file.js';
export {createTimelineRecorder, recordedEvent, cleanText, type TimelineRecorder, type TimelineRecorderOptions} from './recorder.js';
