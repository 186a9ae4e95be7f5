// zod schemas for the hive's JSON bodies, each turning the wire shape into the normalised
// types of types.ts. Numbers may arrive as strings (the hive stores some counters as text), timestamps in
// three spellings; anything else that is off fails with the field's path, and unknown fields are ignored
// so that a newer hive still reads.
import {z} from 'zod';
import type {Agent, HealthComponent, HealthReport, Task} from './types.js';
import {parseHiveTimestamp} from './timestamps.js';
import {cutToWidth, sanitise} from '../util/terminal-text.js';
import {MAX_NUMBER_TEXT, readDecimalText} from './numeric-text.js';

/** A short quote of a bad value for a message. Never throws: JSON.stringify overflows the stack on an
 * array nested 5,000 deep (which JSON.parse reads fine), and the message would then be a RangeError. */
function show(value: unknown): string {
	let text: string;
	try {
		text = JSON.stringify(value) ?? String(value);
	} catch {
		text = Array.isArray(value) ? '[…]' : typeof value === 'object' && value !== null ? '{…}' : typeof value;
	}
	// Only 30 columns are shown: the rest is not sanitised.
	return cutToWidth(sanitise(text.slice(0, 256)), 30);
}

/** A failure's `path` is where inside the value it was found (an array index, a nested key). */
type Check<T> = {ok: true; value: T} | {ok: false; message: string; path?: Array<string | number>};

/**
 * A field read by a plain function, so every failure message says what the field should have been. Readers
 * are run in one pass per object (see record()) because a zod transform per field costs ~10x the parse
 * itself on a 10,000-agent list.
 */
interface Reader<T> {
	readonly read: (value: unknown) => Check<T>;
}

function field<T>(read: (value: unknown) => Check<T>): Reader<T> {
	return {read};
}

function isReader(value: unknown): value is Reader<unknown> {
	return typeof value === 'object' && value !== null && !(value instanceof z.ZodType) && 'read' in value;
}

type Shape = Record<string, z.ZodTypeAny | Reader<unknown>>;
type ShapeOutput<S extends Shape> = {
	[K in keyof S]: S[K] extends Reader<infer T> ? T : S[K] extends z.ZodTypeAny ? z.output<S[K]> : never;
};

/** z.object for a shape mixing zod members and readers; unknown keys are dropped. */
function record<S extends Shape>(shape: S) {
	const zodShape: z.ZodRawShape = {};
	const readers: Array<[string, Reader<unknown>]> = [];
	for (const [key, member] of Object.entries(shape)) {
		if (isReader(member)) {
			zodShape[key] = z.any();
			readers.push([key, member]);
		} else {
			zodShape[key] = member as z.ZodTypeAny;
		}
	}
	return z.object(zodShape).transform((input, ctx): ShapeOutput<S> => {
		const out: Record<string, unknown> = {...input};
		let failed = false;
		for (const [key, reader] of readers) {
			const result = reader.read(input[key]);
			if (result.ok) out[key] = result.value;
			else {
				ctx.addIssue({code: z.ZodIssueCode.custom, message: result.message, path: [key, ...(result.path ?? [])]});
				failed = true;
			}
		}
		return failed ? z.NEVER : (out as ShapeOutput<S>);
	});
}

const ok = <T>(value: T): Check<T> => ({ok: true, value});
const bad = (message: string): Check<never> => ({ok: false, message});
const isAbsent = (value: unknown): value is null | undefined => value === null || value === undefined;

function readNumber(value: unknown): Check<number> {
	if (typeof value === 'number') return Number.isFinite(value) ? ok(value) : bad('not a finite number');
	if (typeof value === 'string') {
		// Checked before trimming, so a megabyte of spaces is not copied either.
		if (value.length > MAX_NUMBER_TEXT * 4) return bad(`not a number: ${value.length} characters of text`);
		const read = readDecimalText(value.trim());
		if (read.ok) return ok(read.value);
		if (read.reason === 'too-long') return bad(`not a number: ${value.trim().length} characters of text (at most ${MAX_NUMBER_TEXT})`);
		if (read.reason === 'not-finite') return bad(`not a finite number: ${show(value)}`);
		return bad(`not a number: ${show(value)}`);
	}
	return isAbsent(value) ? bad('missing (expected a number)') : bad(`not a number: ${show(value)}`);
}

/** A number, or a string holding exactly one ("12" → 12); "" and "abc" are errors; null stays null. */
const nullableNumber = field((v) => (isAbsent(v) ? ok(null) : readNumber(v)));
/** Counters: missing or null reads as 0 (a minimal hive omits them); a wrong type still fails. */
const counter = field((v) => (isAbsent(v) ? ok(0) : readNumber(v)));

const timestamp = field((value): Check<number | null> => {
	if (isAbsent(value) || value === '') return ok(null);
	if (typeof value !== 'string') return bad(`not a timestamp: ${show(value)}`);
	const ms = parseHiveTimestamp(value);
	return ms === null ? bad(`not a timestamp: ${show(value)}`) : ok(ms);
});

const text = field((v): Check<string> => (typeof v === 'string' ? ok(v) : bad(isAbsent(v) ? 'missing (expected text)' : `expected text, got ${show(v)}`)));
const nullableText = field((v): Check<string | null> => (isAbsent(v) ? ok(null) : typeof v === 'string' ? ok(v) : bad(`expected text, got ${show(v)}`)));
/** Ids are uuids as text; an integer id from another store is accepted and kept as text. */
function readId(v: unknown): Check<string> {
	if (typeof v === 'string' && v !== '') return ok(v);
	if (typeof v === 'number' && Number.isInteger(v)) return ok(String(v));
	return bad(isAbsent(v) ? 'missing (expected an id)' : `not an id: ${show(v)}`);
}
const id = field(readId);
const nullableId = field((v) => (isAbsent(v) ? ok(null) : readId(v)));

/** zod's word for a value's type in "expected array, got object" (the messages stay as they were with zod). */
function typeName(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'number' && Number.isNaN(value)) return 'nan';
	return typeof value;
}

function expected(what: string, value: unknown): Check<never> {
	return bad(value === undefined ? `missing (expected ${what})` : `expected ${what}, got ${typeName(value)}`);
}

type ReaderShape = Record<string, Reader<unknown>>;
type ReaderOutput<S extends ReaderShape> = {[K in keyof S]: S[K] extends Reader<infer T> ? T : never};

/**
 * An object read field by field with plain readers, then built into its normalised type: no zod inside.
 * The list endpoints carry 10,000 of these per poll, and zod's object parsing allocated several objects
 * per field, which at that size cost more in garbage collection than the rest of the poll.
 * The first bad field fails the object (a hive that sends one bad agent sends it in every poll).
 */
function objectOf<S extends ReaderShape, T>(shape: S, build: (fields: ReaderOutput<S>) => T): Reader<T> {
	// Two parallel arrays and an index loop: this runs once per field of every item of the big lists, and
	// destructuring [key, reader] pairs made an iterator step per field until TurboFan took the loop.
	const keys = Object.keys(shape);
	const readers = keys.map((key) => shape[key]!);
	return field((value): Check<T> => {
		if (typeof value !== 'object' || value === null || Array.isArray(value)) return expected('object', value);
		const fields: Record<string, unknown> = {};
		for (let i = 0; i < keys.length; i++) {
			const key = keys[i]!;
			const result = readers[i]!.read((value as Record<string, unknown>)[key]);
			if (!result.ok) return {ok: false, message: result.message, path: [key, ...(result.path ?? [])]};
			fields[key] = result.value;
		}
		return ok(build(fields as ReaderOutput<S>));
	});
}

function arrayOf<T>(item: Reader<T>): Reader<T[]> {
	return field((value): Check<T[]> => {
		if (!Array.isArray(value)) return expected('array', value);
		const out: T[] = new Array(value.length);
		for (let i = 0; i < value.length; i++) {
			const result = item.read(value[i]);
			if (!result.ok) return {ok: false, message: result.message, path: [i, ...(result.path ?? [])]};
			out[i] = result.value;
		}
		return ok(out);
	});
}

/** A reader as a zod schema, for callers that compose or safeParse schemas. */
function readerSchema<T>(reader: Reader<T>): z.ZodType<T, z.ZodTypeDef, unknown> {
	return z.unknown().transform((value, ctx): T => {
		const result = reader.read(value);
		if (result.ok) return result.value;
		ctx.addIssue({code: z.ZodIssueCode.custom, message: result.message, path: result.path ?? []});
		return z.NEVER;
	});
}

const agentReader = objectOf(
	{
		id,
		name: text,
		type: nullableText,
		role: nullableText,
		status: text,
		last_heartbeat: timestamp,
		last_active: timestamp,
		created_at: timestamp,
		total_tasks_completed: counter,
		total_tasks_failed: counter,
		average_response_time: nullableNumber,
		context_window_usage: nullableNumber,
		health_score: nullableNumber,
		current_task: nullableText,
		error_count: counter,
		tmux_session: nullableText,
	},
	(a): Agent => ({
		id: a.id,
		name: a.name,
		type: a.type ?? 'unknown',
		role: a.role ?? '',
		status: a.status,
		lastHeartbeat: a.last_heartbeat,
		lastActive: a.last_active,
		createdAt: a.created_at,
		tasksCompleted: a.total_tasks_completed,
		tasksFailed: a.total_tasks_failed,
		averageResponseTime: a.average_response_time,
		contextWindowUsage: a.context_window_usage,
		healthScore: a.health_score,
		currentTask: a.current_task,
		errorCount: a.error_count,
		tmuxSession: a.tmux_session,
	}),
);

export const agentSchema = readerSchema(agentReader);

export interface AgentsList {
	agents: Agent[];
	totalAgents: number | null;
	activeAgents: number | null;
	lastUpdated: number | null;
}

export const agentsListSchema = record({
	agents: arrayOf(agentReader),
	total_agents: nullableNumber,
	active_agents: nullableNumber,
	last_updated: timestamp,
})
	.transform(
		(body): AgentsList => ({
			agents: body.agents,
			totalAgents: body.total_agents,
			activeAgents: body.active_agents,
			lastUpdated: body.last_updated,
		}),
	);

export interface Heartbeat {
	agentId: string;
	name: string | null;
	status: string | null;
	lastHeartbeat: number | null;
	secondsSinceHeartbeat: number | null;
	isStale: boolean | null;
	healthStatus: string | null;
}

export interface Heartbeats {
	agents: Heartbeat[];
	staleHeartbeats: number | null;
	overallHealth: string | null;
}

export const heartbeatsSchema = record({
	agents: arrayOf(
		objectOf(
			{
				agent_id: id,
				name: nullableText,
				status: nullableText,
				last_heartbeat: timestamp,
				seconds_since_heartbeat: nullableNumber,
				is_stale: field((v): Check<boolean | null> => (isAbsent(v) ? ok(null) : typeof v === 'boolean' ? ok(v) : bad(`expected true/false, got ${show(v)}`))),
				health_status: nullableText,
			},
			(h): Heartbeat => ({
				agentId: h.agent_id,
				name: h.name,
				status: h.status,
				lastHeartbeat: h.last_heartbeat,
				secondsSinceHeartbeat: h.seconds_since_heartbeat,
				isStale: h.is_stale,
				healthStatus: h.health_status,
			}),
		),
	),
	summary: record({stale_heartbeats: nullableNumber, overall_health: nullableText})
		.nullish()
		.transform((v) => v ?? null),
})
	.transform(
		(body): Heartbeats => ({
			agents: body.agents,
			staleHeartbeats: body.summary?.stale_heartbeats ?? null,
			overallHealth: body.summary?.overall_health ?? null,
		}),
	);

const taskReader = objectOf(
	{
		id,
		title: nullableText,
		task_type: nullableText,
		status: text,
		priority: nullableText,
		assigned_agent_id: nullableId,
		assigned_agent_name: nullableText,
		retry_count: counter,
		max_retries: counter,
		error_message: nullableText,
		created_at: timestamp,
		assigned_at: timestamp,
		started_at: timestamp,
		completed_at: timestamp,
	},
	(t): Task => ({
		id: t.id,
		title: t.title ?? '',
		taskType: t.task_type,
		status: t.status,
		priority: t.priority,
		assignedAgentId: t.assigned_agent_id,
		assignedAgentName: t.assigned_agent_name,
		retryCount: t.retry_count,
		maxRetries: t.max_retries,
		errorMessage: t.error_message,
		createdAt: t.created_at,
		assignedAt: t.assigned_at,
		startedAt: t.started_at,
		completedAt: t.completed_at,
	}),
);

export const taskSchema = readerSchema(taskReader);

export interface TaskQueue {
	byStatus: Record<string, number>;
	byPriority: Record<string, number>;
	tasks: Task[];
	/** The hive's clock when it built the queue. */
	lastUpdated: number | null;
}

/** {pending: 3, in_progress: "2"}: counts by name, numbers possibly as text. */
const countMap = field((value): Check<Record<string, number>> => {
	if (isAbsent(value)) return ok({});
	if (typeof value !== 'object' || Array.isArray(value)) return bad(`expected an object of counts, got ${show(value)}`);
	const out: Record<string, number> = {};
	for (const [key, raw] of Object.entries(value)) {
		const n = isAbsent(raw) ? ok(0) : readNumber(raw);
		if (!n.ok) return bad(`${key}: ${n.message}`);
		out[key] = n.value;
	}
	return ok(out);
});

export const taskQueueSchema = record({
	queue_statistics: record({by_status: countMap, by_priority: countMap})
		.nullish()
		.transform((v) => v ?? {by_status: {}, by_priority: {}}),
	tasks: arrayOf(taskReader),
	last_updated: timestamp,
})
	.transform(
		(body): TaskQueue => ({
			byStatus: body.queue_statistics.by_status,
			byPriority: body.queue_statistics.by_priority,
			tasks: body.tasks,
			lastUpdated: body.last_updated,
		}),
	);

/** /api/v1/tasks/stuck: an array of task ids; full task objects are accepted too and kept. */
export const stuckTasksSchema = z.array(
	z.unknown().transform((value, ctx): {id: string; task: Task | null} => {
		if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
			const parsed = taskSchema.safeParse(value);
			if (parsed.success) return {id: parsed.data.id, task: parsed.data};
			for (const issue of parsed.error.issues) ctx.addIssue(issue);
			return z.NEVER;
		}
		const idCheck = readId(value);
		if (idCheck.ok) return {id: idCheck.value, task: null};
		ctx.addIssue({code: z.ZodIssueCode.custom, message: idCheck.message});
		return z.NEVER;
	}),
);
export type StuckTaskRef = z.output<typeof stuckTasksSchema>[number];

const componentSchema = record({
	status: text,
	details: z.unknown().optional(),
	error: z.unknown().optional(),
	response_time_ms: field((v): Check<string | null> => (isAbsent(v) ? ok(null) : typeof v === 'string' || typeof v === 'number' ? ok(String(v)) : bad(`expected a number or text, got ${show(v)}`))),
});

function asText(value: unknown): string | null {
	if (value === null || value === undefined) return null;
	return typeof value === 'string' ? value : JSON.stringify(value);
}

export const healthSchema = record({
	status: text,
	version: field((v): Check<string | null> => (isAbsent(v) ? ok(null) : typeof v === 'string' || typeof v === 'number' ? ok(String(v)) : bad(`expected text, got ${show(v)}`))),
	components: z.record(componentSchema).nullish(),
})
	.transform(
		(body): HealthReport => ({
			status: body.status,
			version: body.version,
			components: Object.entries(body.components ?? {}).map(
				([name, c]): HealthComponent => ({
					name,
					status: c.status,
					details: asText(c.details),
					error: asText(c.error),
					responseTime: c.response_time_ms,
				}),
			),
		}),
	);

/** An action reply before normalising: only the fields that say how it went are checked. */
export const actionBodySchema = z
	.object({
		success: z.boolean().optional(),
		error: z.unknown().optional(),
		detail: z.unknown().optional(),
		message: z.unknown().optional(),
		status: z.unknown().optional(),
	})
	.passthrough();

/** "agents[3].last_heartbeat" from a zod path. */
export function formatPath(path: ReadonlyArray<string | number>): string {
	let out = '';
	for (const part of path) {
		if (typeof part === 'number') out += `[${part}]`;
		else out += out === '' ? part : `.${part}`;
	}
	return out === '' ? '(body)' : out;
}

function describeIssue(issue: z.ZodIssue): string {
	if (issue.code === z.ZodIssueCode.invalid_type) {
		if (issue.received === 'undefined') return `missing (expected ${issue.expected})`;
		return `expected ${issue.expected}, got ${issue.received}`;
	}
	return issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
}

/** The first problem of a failed parse, as "field.path: what is wrong" (one line, sanitised). */
export function describeZodError(error: z.ZodError): string {
	const issue = error.issues[0];
	if (!issue) return 'invalid body';
	const text = `${formatPath(issue.path)}: ${describeIssue(issue)}`;
	const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
	return cutToWidth(sanitise(text), 200) + more;
}

export class BodyError extends Error {
	constructor(
		readonly endpoint: string,
		readonly detail: string,
	) {
		super(`${endpoint}: ${detail}`);
		this.name = 'BodyError';
	}
}

/** Parses `body` with `schema`; a failure throws a BodyError "GET /path: field.path: what is wrong". */
export function parseBody<S extends z.ZodTypeAny>(endpoint: string, schema: S, body: unknown): z.output<S> {
	const result = schema.safeParse(body);
	if (result.success) return result.data;
	throw new BodyError(endpoint, describeZodError(result.error));
}
