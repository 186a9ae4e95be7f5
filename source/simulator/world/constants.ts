// The simulated hive's fixed numbers: time units, the contract's thresholds, the world's rates and caps,
// and the vocabularies agents and tasks are generated from.
export const AGENT_TYPES = ['claude', 'gpt', 'gemini', 'custom'] as const;
/** role → the role stream's name (agent_messages:{stream}, group {stream}_consumers). */
export const ROLES: ReadonlyArray<{role: string; stream: string}> = [
	{role: 'backend_developer', stream: 'backend_engineers'},
	{role: 'frontend_developer', stream: 'frontend_engineers'},
	{role: 'qa_engineer', stream: 'qa_engineers'},
	{role: 'devops_engineer', stream: 'devops_engineers'},
	{role: 'architect', stream: 'architects'},
];
export const TASK_TYPES = ['feature_development', 'bug_fix', 'code_review', 'testing', 'deployment', 'documentation'];
export const TITLE_VERBS = ['Implement', 'Fix', 'Review', 'Test', 'Refactor', 'Document', 'Deploy', 'Optimise'];
export const TITLE_NOUNS = ['auth flow', 'task router', 'agent registry', 'metrics endpoint', 'Redis consumer', 'migration', 'dashboard', 'retry policy', 'webhook', 'search index'];
export const PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export const PRIORITY_WEIGHTS = [0.25, 0.45, 0.22, 0.08];

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** Contract §2: an active agent whose heartbeat is older than this is stale. */
export const STALE_AFTER_MS = 300 * SECOND;
export const LONG_RUNNING_MS = HOUR;
export const BUCKET_MS = 10 * MINUTE;
export const BUCKET_RETENTION_MS = 8 * DAY;
/** Finished tasks are kept one by one this long (cleanup?days=7 has something to remove), then only counted. */
export const HISTORY_RETENTION_MS = 10 * DAY;
export const TASKS_PER_AGENT_HOUR = 4;
/** Open tasks (assigned + running) an agent takes at most; it works on all of them at once. */
export const MAX_LOAD = 2;
export const RESTART_MS = 10 * SECOND;
/** Agents coming back from a hive-wide restart or reset re-register one after another, this far apart. */
export const REREGISTER_STAGGER_MS = 3 * SECOND;
/** The shipped server's coordination reset puts in-progress tasks started longer ago than this back to pending. */
export const RESET_STUCK_MS = 2 * HOUR;
export const QUEUE_CAP = 20_000;

export const AGENT_STATUSES = ['inactive', 'active', 'busy', 'error', 'maintenance', 'shutting_down', 'sleeping'] as const;
