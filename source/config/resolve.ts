// Resolves the effective configuration: flags > environment > config file context > runbook defaults.
// Every problem becomes a ConfigError whose message names the file (or flag / variable) and the key.
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {z} from 'zod';
import {redactText, redactUrl, registerSecret} from '../util/redact.js';
import {mergeThresholds} from '../model/thresholds.js';
import type {Thresholds} from '../model/types.js';
import {
	alertmanagerUrlSchema,
	apiProfileSchema,
	configFileSchema,
	databaseUrlSchema,
	configIssues,
	hiveUrlSchema,
	redisUrlSchema,
	type ConfigFile,
	type ContextConfig,
	type EnvironmentColor,
} from './schema.js';
import {defaultConfigPath, expandHome, stateDir} from './paths.js';
import {keyPathId, mapJson, positionToLocation, type JsonMap, type Location} from './json-locate.js';

export const DEFAULT_HIVE_URL = 'http://localhost:8000';
export const DEFAULT_INTERVAL_SECONDS = 5;
/** The one-shot commands' (status, check) deadline, independent of the poll interval. */
export const DEFAULT_TIMEOUT_SECONDS = 10;
/** The poller's deadline cap; a one-shot deadline cannot be longer. */
export const MAX_TIMEOUT_SECONDS = 30;

/** A bad flag, variable or config file. Commands print `message` and exit 64. */
export class ConfigError extends Error {
	constructor(message: string) {
		super(redactText(message));
		this.name = 'ConfigError';
	}
}

export type Origin = 'flag' | 'env' | 'file' | 'default';

export interface ResolvedConfig {
	/** The context in use, or null when no config file context applies. */
	contextName: string | null;
	/** Every context the config file defines, in its order (the fleet reads each); empty without a file. */
	contextNames: string[];
	/** The config file that was read, or null when there was none. */
	configPath: string | null;
	hiveUrl: string;
	/** Bearer token (HIVE_TOKEN or a token file); registered with redact.ts, never print it. */
	hiveToken: string | null;
	redisUrl: string | null;
	databaseUrl: string | null;
	alertmanagerUrl: string | null;
	apiProfile: 'auto' | 'runbook' | 'beehive';
	intervalMs: number;
	/** Poll interval while the console is out of view (ms); 0 pauses; null: focus reporting off (default 30 s). */
	unfocusedIntervalMs: number | null;
	/** Follow the hive's dashboard WebSocket between polls (the console only; "webSocket": false turns it off). */
	webSocket: boolean;
	/** Deadline of one read of every source for `status` and `check` (--timeout; default 10 s). */
	timeoutMs: number;
	readOnly: boolean;
	environment: {label: string; color: EnvironmentColor} | null;
	thresholds: Thresholds;
	escalation: {
		contacts: Array<{level?: string; name: string; via?: string}>;
		channels: Array<{name: string; purpose?: string; via?: string}>;
	};
	keymap: Record<string, string | string[]>;
	/** Log source spec: a file path, or "cmd:COMMAND". */
	logs: string | null;
	/** Streams read besides agent_messages:* (the context's `streams`), or null for the source's default list. */
	redisStreams: string[] | null;
	auditLogPath: string;
	checkLogPath: string;
	/** XDG state directory for this program (check state, crash logs). */
	stateDir: string;
	checkAlertHours: number;
	/** Where each connection setting came from, for `--help`-style diagnostics. */
	origins: Record<'hive' | 'redis' | 'database' | 'alertmanager' | 'apiProfile' | 'interval', Origin>;
	/**
	 * Where each connection setting and the token came from, said for people: "--hive", "environment variable
	 * HIVE_URL", 'context "prod" (…/config.json:5:15: contexts.prod.hive)', "default" (the token: or "none").
	 */
	originText: Record<'hive' | 'redis' | 'database' | 'alertmanager' | 'apiProfile' | 'interval' | 'token', string>;
	/**
	 * A config key as an error should name it: "…/config.json:14:7: contexts.prod.keymap" (file, line,
	 * column, key path), for checks made after loading, such as the console's keymap.
	 */
	describeKey(keyPath: ReadonlyArray<string | number>): string;
	/** Non-fatal notes worth printing on stderr (e.g. an environment variable overriding the chosen context). */
	warnings: string[];
}

/** The flags resolveConfig reads (camelCase, as source/cli.ts parses them); all optional. */
export interface ConfigFlags {
	hive?: unknown;
	redis?: unknown;
	database?: unknown;
	alertmanager?: unknown;
	apiProfile?: unknown;
	interval?: unknown;
	timeout?: unknown;
	context?: unknown;
	config?: unknown;
	tokenFile?: unknown;
	logs?: unknown;
	readOnly?: unknown;
	auditLog?: unknown;
	logFile?: unknown;
	[key: string]: unknown;
}

type Env = Record<string, string | undefined>;

function parseWith<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
	const result = schema.safeParse(value);
	if (!result.success) throw new ConfigError(`${where}: ${result.error.issues[0]?.message ?? 'invalid value'}`);
	return result.data;
}

/** A config file as read: its content, and where each key and value is written in it. */
interface LoadedFile {
	data: ConfigFile;
	map: JsonMap;
}

const JSON_RULES = 'JSON wants double-quoted keys and strings, commas between items and none after the last, and no comments';

/** Where a key path is written, or else the nearest enclosing value that is; null when nothing is. */
function locationOf(map: JsonMap, path: ReadonlyArray<string | number>, asKey = false): Location | null {
	const exact = (asKey ? map.keys : map.values).get(keyPathId(path)) ?? map.keys.get(keyPathId(path));
	if (exact) return exact;
	for (let n = path.length - 1; n >= 0; n--) {
		const at = map.values.get(keyPathId(path.slice(0, n)));
		if (at) return at;
	}
	return null;
}

/** "…/config.json:12:5": the form editors and terminals open at the line. */
function placeOf(file: string, map: JsonMap, path: ReadonlyArray<string | number>, asKey = false): string {
	const at = locationOf(map, path, asKey);
	return at ? `${file}:${at.line}:${at.column}` : file;
}

async function loadFile(file: string, explicit: boolean): Promise<LoadedFile | null> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' && !explicit) return null;
		if (code === 'ENOENT') throw new ConfigError(`${file}: no such file (given with --config)`);
		if (code === 'EACCES') throw new ConfigError(`${file}: permission denied; make it readable by this user`);
		if (code === 'EISDIR') throw new ConfigError(`${file}: is a directory, expected a JSON file`);
		throw new ConfigError(`${file}: cannot read (${code ?? 'error'})`);
	}
	// Editors on Windows may save a byte-order mark, which JSON.parse refuses although nothing is wrong.
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	const map = mapJson(text);
	if (map.error) {
		throw new ConfigError(`${file}:${map.error.line}:${map.error.column}: not valid JSON: ${map.error.message} (${JSON_RULES})`);
	}
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (error) {
		// Only if the two readers ever disagree: JSON.parse's "position N" as a line and column, never its
		// excerpt of the file (it may hold a password).
		const position = /position (\d+)/.exec((error as Error).message)?.[1];
		const at = positionToLocation(text, position === undefined ? 0 : Number(position));
		throw new ConfigError(`${file}:${at.line}:${at.column}: not valid JSON (${JSON_RULES})`);
	}
	if (map.duplicates.length) {
		throw new ConfigError(
			map.duplicates
				.map((d) => `${file}:${d.again.line}:${d.again.column}: ${d.path.map(String).join('.')}: written twice (first at line ${d.first.line}); keep one, JSON keeps only the last without a word`)
				.join('\n'),
		);
	}
	const result = configFileSchema.safeParse(raw);
	if (!result.success) {
		// In the order of the file, so the lines read top to bottom like the editor shows them.
		const lines = configIssues(result.error).map((issue) => {
			const at = issue.missing ? locationOf(map, issue.path.slice(0, -1)) : locationOf(map, issue.path, issue.unknownKey);
			return {line: at?.line ?? 0, column: at?.column ?? 0, text: `${at ? `${file}:${at.line}:${at.column}` : file}: ${issue.text}`};
		});
		lines.sort((a, b) => a.line - b.line || a.column - b.column);
		throw new ConfigError(lines.map((l) => l.text).join('\n'));
	}
	return {data: result.data, map};
}

async function readToken(file: string, where: string): Promise<string> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new ConfigError(`${where} "${file}": ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : 'cannot read'}`);
	}
	const token = text.trim();
	if (!token) throw new ConfigError(`${where} "${file}": the file is empty; put the bearer token in it`);
	if (/\s/.test(token)) throw new ConfigError(`${where} "${file}": expected one token on one line`);
	return token;
}

/** A setting's value as a warning may show it: URLs without their password. */
function shownValue(value: unknown): string {
	return typeof value === 'string' ? redactUrl(value) : String(value);
}

function registerUrlSecrets(url: string | null): void {
	if (!url) return;
	try {
		const parsed = new URL(url);
		registerSecret(decodeURIComponent(parsed.password));
		registerSecret(parsed.password);
	} catch {
		// Validated elsewhere.
	}
}

function flagString(flags: ConfigFlags, key: string): string | undefined {
	const value = flags[key];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string' || value === '') throw new ConfigError(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: expected a value`);
	return value;
}

export async function resolveConfig(flags: ConfigFlags, env: Env = process.env): Promise<ResolvedConfig> {
	const explicitFile = flagString(flags, 'config');
	const configPath = explicitFile ? path.resolve(expandHome(explicitFile, env)) : defaultConfigPath(env);
	const loaded = await loadFile(configPath, explicitFile !== undefined);
	const file = loaded?.data ?? null;
	/** "…/config.json:14:7: contexts.prod.tokenFile", or just the key path when it is not written in the file. */
	const describeKey = (keyPath: ReadonlyArray<string | number>): string =>
		`${loaded ? placeOf(configPath, loaded.map, keyPath) : configPath}: ${keyPath.map(String).join('.')}`;

	const contextFlag = flagString(flags, 'context');
	let contextName: string | null = null;
	let context: ContextConfig = {};
	if (contextFlag !== undefined) {
		if (!file) throw new ConfigError(`--context ${contextFlag}: no config file at ${configPath}; create it or pass --config`);
		if (!(contextFlag in file.contexts)) {
			const known = Object.keys(file.contexts);
			throw new ConfigError(`--context ${contextFlag}: ${configPath} has no such context (defined: ${known.join(', ') || 'none'})`);
		}
		contextName = contextFlag;
	} else if (file?.currentContext) {
		contextName = file.currentContext;
	} else if (file && Object.keys(file.contexts).length === 1) {
		// One context and no currentContext: the only sensible choice.
		contextName = Object.keys(file.contexts)[0]!;
	}
	if (contextName !== null) context = file!.contexts[contextName]!;
	const contextKey = (...rest: string[]) => describeKey(['contexts', contextName ?? '?', ...rest]);
	const howChosen = contextFlag !== undefined ? 'chosen with --context' : file?.currentContext ? 'the currentContext' : 'the only context';

	// The chosen context names one hive and everything that belongs to it, so a variable left in the shell
	// (a HIVE_URL exported for staging) must not swap one of them under its label: what the context sets
	// wins over the environment, and a variable it outvotes is named in a warning. A variable still fills
	// what the context leaves unset (a token or an Alertmanager URL from a systemd unit), and a flag, said
	// for this one run, beats both. Without a context the environment beats the defaults, as before.
	const warnings: string[] = [];
	const origins = {} as ResolvedConfig['origins'];
	const originText = {} as ResolvedConfig['originText'];
	function pick<T>(
		key: keyof ResolvedConfig['origins'],
		flagName: string,
		flagValue: T | undefined,
		envName: string | null,
		envSchema: z.ZodType<T> | null,
		fileValue: T | undefined,
		fallback: T,
	): T {
		const envRaw = envName ? env[envName] : undefined;
		const envSet = envName !== null && envSchema !== null && envRaw !== undefined && envRaw !== '';
		if (flagValue !== undefined) {
			origins[key] = 'flag';
			originText[key] = flagName;
			return flagValue;
		}
		if (fileValue !== undefined) {
			origins[key] = 'file';
			originText[key] = `context "${contextName}" (${contextKey(key)})`;
			if (envSet && envRaw !== String(fileValue)) {
				warnings.push(
					`${envName} is set but not used: context "${contextName}" (${howChosen}) sets ${key} to ${shownValue(fileValue)} at ${contextKey(key)}, and a context wins over the environment; unset ${envName}, or pass ${flagName} to use another value for one run`,
				);
			}
			return fileValue;
		}
		if (envSet) {
			origins[key] = 'env';
			originText[key] = `environment variable ${envName}${contextName !== null ? ` (context "${contextName}" does not set ${key})` : ''}`;
			return parseWith(envSchema!, envRaw, `environment variable ${envName}`);
		}
		origins[key] = 'default';
		originText[key] = 'default';
		return fallback;
	}

	const hiveFlag = flagString(flags, 'hive');
	const redisFlag = flagString(flags, 'redis');
	const databaseFlag = flagString(flags, 'database');
	const alertmanagerFlag = flagString(flags, 'alertmanager');
	const profileFlag = flagString(flags, 'apiProfile');
	const hiveUrl = pick('hive', '--hive', hiveFlag === undefined ? undefined : parseWith(hiveUrlSchema, hiveFlag, '--hive'), 'HIVE_URL', hiveUrlSchema, context.hive, DEFAULT_HIVE_URL);
	const redisUrl = pick<string | null>('redis', '--redis', redisFlag === undefined ? undefined : parseWith(redisUrlSchema, redisFlag, '--redis'), 'REDIS_URL', redisUrlSchema, context.redis, null);
	const databaseUrl = pick<string | null>(
		'database',
		'--database',
		databaseFlag === undefined ? undefined : parseWith(databaseUrlSchema, databaseFlag, '--database'),
		'DATABASE_URL',
		databaseUrlSchema,
		context.database,
		null,
	);
	const alertmanagerUrl = pick<string | null>(
		'alertmanager',
		'--alertmanager',
		alertmanagerFlag === undefined ? undefined : parseWith(alertmanagerUrlSchema, alertmanagerFlag, '--alertmanager'),
		'ALERTMANAGER_URL',
		alertmanagerUrlSchema,
		context.alertmanager,
		null,
	);
	const apiProfile = pick('apiProfile', '--api-profile', profileFlag === undefined ? undefined : parseWith(apiProfileSchema, profileFlag, '--api-profile'), null, null, context.apiProfile, 'auto');

	let intervalFlag: number | undefined;
	if (flags.interval !== undefined) {
		if (typeof flags.interval !== 'number' || !Number.isFinite(flags.interval) || flags.interval < 1) {
			throw new ConfigError('--interval: expected a number of seconds ≥ 1');
		}
		intervalFlag = flags.interval;
	}
	const intervalSeconds = pick('interval', '--interval', intervalFlag, null, null, context.interval, DEFAULT_INTERVAL_SECONDS);

	let timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
	if (flags.timeout !== undefined) {
		if (typeof flags.timeout !== 'number' || !Number.isFinite(flags.timeout) || flags.timeout < 1 || flags.timeout > MAX_TIMEOUT_SECONDS) {
			throw new ConfigError(`--timeout: expected a number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}`);
		}
		timeoutSeconds = flags.timeout;
	}

	for (const url of [hiveUrl, redisUrl, databaseUrl, alertmanagerUrl]) registerUrlSecrets(url);
	if (hiveUrl) {
		const parsed = new URL(hiveUrl);
		if (parsed.username || parsed.password) {
			throw new ConfigError(`hive URL ${redactUrl(hiveUrl)}: credentials in the URL are not sent; use HIVE_TOKEN or --token-file`);
		}
	}

	// The token: --token-file, then the context's token file, then HIVE_TOKEN (the same rule as the URLs: a
	// token meant for another hive must not be sent to this one). Never a flag value, never printed.
	let hiveToken: string | null = null;
	const tokenFileFlag = flagString(flags, 'tokenFile');
	const envToken = env.HIVE_TOKEN?.trim() || null;
	registerSecret(envToken);
	if (tokenFileFlag !== undefined) {
		hiveToken = await readToken(expandHome(tokenFileFlag, env), '--token-file');
		originText.token = '--token-file';
	} else if (context.tokenFile) {
		hiveToken = await readToken(expandHome(context.tokenFile, env), contextKey('tokenFile'));
		originText.token = `context "${contextName}" (${contextKey('tokenFile')})`;
		if (envToken !== null && envToken !== hiveToken) {
			warnings.push(
				`HIVE_TOKEN is set but not used: context "${contextName}" (${howChosen}) names its token file at ${contextKey('tokenFile')}, and a context wins over the environment; unset HIVE_TOKEN, or pass --token-file to use another token for one run`,
			);
		}
	} else if (envToken !== null) {
		hiveToken = envToken;
		originText.token = `environment variable HIVE_TOKEN${contextName !== null ? ` (context "${contextName}" has no tokenFile)` : ''}`;
	} else {
		originText.token = 'none';
	}
	registerSecret(hiveToken);

	const {thresholds, problems} = mergeThresholds(context.thresholds);
	if (problems.length) {
		throw new ConfigError(
			problems
				.map((p) => {
					const cut = p.indexOf(': ');
					const keyPath = cut > 0 ? p.slice(0, cut).split('.') : ['thresholds'];
					return `${contextKey(...keyPath)}: ${cut > 0 ? p.slice(cut + 2) : p}`;
				})
				.join('\n'),
		);
	}

	const state = stateDir(env);
	const logsFlag = flagString(flags, 'logs');
	const auditFlag = flagString(flags, 'auditLog');
	const logFileFlag = flagString(flags, 'logFile');
	const readOnly = flags.readOnly === true || context.readOnly === true;

	return {
		contextName,
		contextNames: file ? Object.keys(file.contexts) : [],
		configPath: file ? configPath : null,
		hiveUrl,
		hiveToken,
		redisUrl,
		databaseUrl,
		alertmanagerUrl,
		apiProfile,
		intervalMs: Math.round(intervalSeconds * 1000),
		webSocket: context.webSocket !== false,
		unfocusedIntervalMs: context.unfocusedInterval === false ? null : Math.round((context.unfocusedInterval ?? 30) * 1000),
		timeoutMs: Math.round(timeoutSeconds * 1000),
		readOnly,
		environment: context.environment ? {label: context.environment.label, color: context.environment.color} : null,
		thresholds,
		escalation: {contacts: context.escalation?.contacts ?? [], channels: context.escalation?.channels ?? []},
		keymap: context.keymap ?? {},
		logs: logsFlag ?? context.logs ?? null,
		redisStreams: context.streams ?? null,
		auditLogPath: expandHome(auditFlag ?? context.auditLog ?? path.join(state, 'audit.jsonl'), env),
		checkLogPath: expandHome(logFileFlag ?? context.checkLog ?? path.join(state, 'coordination-health.log'), env),
		stateDir: state,
		checkAlertHours: context.checkAlertHours ?? 25,
		origins,
		originText,
		describeKey,
		warnings: warnings.map((w) => redactText(w)),
	};
}
