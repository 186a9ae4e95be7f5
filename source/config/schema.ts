// The config file's shape (zod). JSON rather than YAML/TOML: Node reads it without a new dependency, and
// every editor validates it; the file is small and written once per hive.
import {z} from 'zod';

const num = (min: number, what = `a number ≥ ${min}`) =>
	z.number({invalid_type_error: `expected ${what}`, required_error: `expected ${what}`}).finite(`expected ${what}`).min(min, `expected ${what}`);

const str = (what: string) => z.string({invalid_type_error: `expected ${what}`, required_error: `expected ${what}`}).min(1, `expected ${what}`);

function urlWith(protocols: string[], example: string) {
	const what = `a ${protocols.map((p) => `${p}//`).join(' or ')} URL, e.g. ${example}`;
	return str(what).refine((value) => {
		try {
			return protocols.includes(new URL(value).protocol);
		} catch {
			return false;
		}
	}, `expected ${what}`);
}

export const hiveUrlSchema = urlWith(['http:', 'https:'], 'http://localhost:8000');
export const redisUrlSchema = urlWith(['redis:', 'rediss:'], 'redis://localhost:6379');
export const databaseUrlSchema = urlWith(['postgres:', 'postgresql:'], 'postgres://leanvibe_user@localhost:5432/leanvibe_agent_hive');
export const alertmanagerUrlSchema = urlWith(['http:', 'https:'], 'http://localhost:9093');
export const apiProfileSchema = z.enum(['auto', 'runbook', 'beehive'], {
	errorMap: () => ({message: 'expected one of auto, runbook, beehive'}),
});

const thresholdOverride = z
	.object({
		target: z.number({invalid_type_error: 'expected a number'}).finite('expected a finite number').optional(),
		warning: z.number({invalid_type_error: 'expected a number'}).finite('expected a finite number').optional(),
		critical: z.number({invalid_type_error: 'expected a number'}).finite('expected a finite number').optional(),
	})
	.strict();

const COLORS = ['red', 'yellow', 'green', 'blue', 'magenta', 'cyan', 'white', 'gray'] as const;

const contextSchema = z
	.object({
		hive: hiveUrlSchema.optional(),
		redis: redisUrlSchema.optional(),
		database: databaseUrlSchema.optional(),
		alertmanager: alertmanagerUrlSchema.optional(),
		apiProfile: apiProfileSchema.optional(),
		/** A file holding the bearer token for this hive (the token itself never goes in the config). */
		tokenFile: str('a file path').optional(),
		/** Seconds. */
		interval: num(1).optional(),
		readOnly: z.boolean({invalid_type_error: 'expected true or false'}).optional(),
		environment: z
			.object({
				label: str('a short label such as "PROD"').max(12, 'expected at most 12 characters'),
				color: z.enum(COLORS, {errorMap: () => ({message: `expected one of ${COLORS.join(', ')}`})}).default('red'),
			})
			.strict()
			.optional(),
		thresholds: z
			.object({
				successRate: thresholdOverride.optional(),
				responseTime: thresholdOverride.optional(),
				queueLength: thresholdOverride.optional(),
				activeAgents: thresholdOverride.optional(),
				/** Seconds without a heartbeat before an agent that should be alive counts as stale (default 300). */
				staleHeartbeatSeconds: num(1, 'a number of seconds ≥ 1').optional(),
			})
			.strict()
			.optional(),
		escalation: z
			.object({
				contacts: z
					.array(z.object({level: z.string().optional(), name: str('a name'), via: z.string().optional()}).strict())
					.default([]),
				channels: z
					.array(z.object({name: str('a channel name'), purpose: z.string().optional(), via: z.string().optional()}).strict())
					.default([]),
			})
			.strict()
			.optional(),
		/** Action or UI command id → key (or keys), e.g. {"refresh": "R"}. Checked by the console's keymap. */
		keymap: z.record(z.union([str('a key'), z.array(str('a key'))])).optional(),
		/** A file to follow, or "cmd:COMMAND" to run (e.g. "cmd:docker compose logs api --tail=200 -f"). */
		logs: str('a file path or "cmd:COMMAND"').optional(),
		/**
		 * Streams read besides agent_messages:* (found by SCAN); replaces the default list
		 * (agent_events, dead_letter_queue, retry_queue, poison_quarantine). Absent keys are skipped.
		 */
		streams: z.array(str('a stream key'), {invalid_type_error: 'expected a list of stream keys'}).max(100, 'expected at most 100 keys').optional(),
		auditLog: str('a file path').optional(),
		checkLog: str('a file path').optional(),
		/**
		 * The console's poll interval while its pane is out of view (focus reporting), in seconds; 0 pauses
		 * polling instead, false switches focus reporting off (default 30).
		 */
		/** Follow the hive's dashboard WebSocket where it has one (default true). */
		webSocket: z.boolean({invalid_type_error: 'expected true or false'}).optional(),
		unfocusedInterval: z.union([z.literal(false), z.number({invalid_type_error: 'expected a number of seconds, 0 to pause, or false'}).min(0, 'expected a number of seconds ≥ 0, or false').max(3600, 'expected at most 3600 seconds')]).optional(),
		/** How long a posted check alert stays firing without a new check (hours; default 25 for a daily timer). */
		checkAlertHours: num(0.1, 'a number of hours ≥ 0.1').optional(),
	})
	.strict();

export const configFileSchema = z
	.object({
		$schema: z.string().optional(),
		currentContext: str('a context name').optional(),
		contexts: z.record(contextSchema).default({}),
	})
	.strict()
	.superRefine((file, ctx) => {
		if (file.currentContext !== undefined && !(file.currentContext in file.contexts)) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				path: ['currentContext'],
				message: `names no context (defined: ${Object.keys(file.contexts).join(', ') || 'none'})`,
			});
		}
	});

export type ConfigFile = z.infer<typeof configFileSchema>;
export type ContextConfig = z.infer<typeof contextSchema>;
export type EnvironmentColor = (typeof COLORS)[number];

export interface ConfigIssue {
	/** Where the problem is: the value's key path, or for an unknown key the key itself. */
	path: Array<string | number>;
	/** "contexts.prod.interval: expected a number ≥ 1". */
	text: string;
	/** True when the value is missing: it has no place of its own, so its object is pointed at. */
	missing: boolean;
	/** True for a key the schema does not know: the key itself is pointed at. */
	unknownKey: boolean;
}

/** The keys an object at `path` may hold (contexts' names are free), for "did you mean". */
export function knownKeys(path: ReadonlyArray<string | number>): string[] {
	let schema: z.ZodTypeAny = configFileSchema;
	const unwrap = (t: z.ZodTypeAny): z.ZodTypeAny => {
		for (;;) {
			if (t instanceof z.ZodOptional || t instanceof z.ZodNullable) t = t.unwrap();
			else if (t instanceof z.ZodDefault) t = t._def.innerType;
			else if (t instanceof z.ZodEffects) t = t.innerType();
			else return t;
		}
	};
	for (const part of path) {
		schema = unwrap(schema);
		if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, z.ZodTypeAny>)[String(part)] ?? z.never();
		else if (schema instanceof z.ZodRecord) schema = schema.valueSchema;
		else if (schema instanceof z.ZodArray) schema = schema.element;
		else return [];
	}
	schema = unwrap(schema);
	return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/** Edit distance with a cut-off: enough to catch "hvie" for "hive" and "intreval" for "interval". */
function distance(a: string, b: string): number {
	const x = a.toLowerCase();
	const y = b.toLowerCase();
	let before: number[] = [];
	let previous = Array.from({length: y.length + 1}, (_, k) => k);
	for (let i = 1; i <= x.length; i++) {
		const row = [i];
		for (let j = 1; j <= y.length; j++) {
			row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
			// Two letters swapped ("hvie") count as one edit.
			if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) row[j] = Math.min(row[j]!, before[j - 2]! + 1);
		}
		before = previous;
		previous = row;
	}
	return previous[y.length]!;
}

function suggestKey(unknown: string, known: string[]): string {
	if (unknown.length > 60) return known.length ? `; known keys here: ${known.join(', ')}` : '';
	const close = known.filter((k) => distance(unknown, k) <= Math.max(1, Math.min(2, Math.floor(k.length / 3))));
	if (close.length) return ` (did you mean ${close.map((k) => `"${k}"`).join(' or ')}?)`;
	return known.length ? `; known keys here: ${known.join(', ')}` : '';
}

function keyText(key: string): string {
	return key.length > 60 ? `${key.slice(0, 60)}…` : key;
}

/** One issue per problem ("contexts.prod.interval: expected a number ≥ 1"), each unknown key on its own. */
export function configIssues(error: z.ZodError): ConfigIssue[] {
	return error.issues.flatMap((issue): ConfigIssue[] => {
		const key = issue.path.map(String).join('.');
		if (issue.code === z.ZodIssueCode.unrecognized_keys) {
			const known = knownKeys(issue.path);
			return issue.keys.map((k) => ({
				path: [...issue.path, k],
				text: `${key ? `${key}: ` : ''}unknown key "${keyText(k)}"${suggestKey(k, known)}`,
				missing: false,
				unknownKey: true,
			}));
		}
		let message = issue.message;
		const missing = issue.code === z.ZodIssueCode.invalid_type && issue.received === 'undefined';
		if (missing) message = message.replace(/^Required$/, 'is required');
		return [{path: issue.path, text: key ? `${key}: ${message}` : message, missing, unknownKey: false}];
	});
}

/** "contexts.prod.interval: expected a number ≥ 1" for each issue. */
export function formatIssues(error: z.ZodError): string[] {
	return configIssues(error).map((issue) => issue.text);
}
