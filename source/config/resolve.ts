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
	formatIssues,
	hiveUrlSchema,
	redisUrlSchema,
	type ConfigFile,
	type ContextConfig,
	type EnvironmentColor,
} from './schema.js';
import {defaultConfigPath, expandHome, stateDir} from './paths.js';

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
	/** Non-fatal notes worth printing on stderr (e.g. an environment variable overriding the chosen context). */
	warnings: string[];
}

/** The flags resolveConfig reads (camelCase, as meow parses them); all optional. */
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

async function loadFile(file: string, explicit: boolean): Promise<ConfigFile | null> {
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
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (error) {
		throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`);
	}
	const result = configFileSchema.safeParse(raw);
	if (!result.success) {
		const issues = formatIssues(result.error);
		throw new ConfigError(issues.map((issue) => `${file}: ${issue}`).join('\n'));
	}
	return result.data;
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
	const file = await loadFile(configPath, explicitFile !== undefined);

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
	const fileLabel = `${configPath}: contexts.${contextName}`;

	const warnings: string[] = [];
	const origins = {} as ResolvedConfig['origins'];
	function pick<T>(
		key: keyof ResolvedConfig['origins'],
		flagValue: T | undefined,
		envName: string | null,
		envSchema: z.ZodType<T> | null,
		fileValue: T | undefined,
		fallback: T,
	): T {
		if (flagValue !== undefined) {
			origins[key] = 'flag';
			return flagValue;
		}
		const envRaw = envName ? env[envName] : undefined;
		if (envName && envSchema && envRaw !== undefined && envRaw !== '') {
			origins[key] = 'env';
			if (contextFlag !== undefined && fileValue !== undefined) {
				warnings.push(`${envName} overrides ${key} of context "${contextName}" (unset it to use the context's value)`);
			}
			return parseWith(envSchema, envRaw, `environment variable ${envName}`);
		}
		if (fileValue !== undefined) {
			origins[key] = 'file';
			return fileValue;
		}
		origins[key] = 'default';
		return fallback;
	}

	const hiveFlag = flagString(flags, 'hive');
	const redisFlag = flagString(flags, 'redis');
	const databaseFlag = flagString(flags, 'database');
	const alertmanagerFlag = flagString(flags, 'alertmanager');
	const profileFlag = flagString(flags, 'apiProfile');
	const hiveUrl = pick('hive', hiveFlag === undefined ? undefined : parseWith(hiveUrlSchema, hiveFlag, '--hive'), 'HIVE_URL', hiveUrlSchema, context.hive, DEFAULT_HIVE_URL);
	const redisUrl = pick<string | null>('redis', redisFlag === undefined ? undefined : parseWith(redisUrlSchema, redisFlag, '--redis'), 'REDIS_URL', redisUrlSchema, context.redis, null);
	const databaseUrl = pick<string | null>(
		'database',
		databaseFlag === undefined ? undefined : parseWith(databaseUrlSchema, databaseFlag, '--database'),
		'DATABASE_URL',
		databaseUrlSchema,
		context.database,
		null,
	);
	const alertmanagerUrl = pick<string | null>(
		'alertmanager',
		alertmanagerFlag === undefined ? undefined : parseWith(alertmanagerUrlSchema, alertmanagerFlag, '--alertmanager'),
		'ALERTMANAGER_URL',
		alertmanagerUrlSchema,
		context.alertmanager,
		null,
	);
	const apiProfile = pick('apiProfile', profileFlag === undefined ? undefined : parseWith(apiProfileSchema, profileFlag, '--api-profile'), null, null, context.apiProfile, 'auto');

	let intervalFlag: number | undefined;
	if (flags.interval !== undefined) {
		if (typeof flags.interval !== 'number' || !Number.isFinite(flags.interval) || flags.interval < 1) {
			throw new ConfigError('--interval: expected a number of seconds ≥ 1');
		}
		intervalFlag = flags.interval;
	}
	const intervalSeconds = pick('interval', intervalFlag, null, null, context.interval, DEFAULT_INTERVAL_SECONDS);

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

	// The token: HIVE_TOKEN, or a token file (flag, then the context's). Never a flag value.
	let hiveToken: string | null = null;
	const tokenFileFlag = flagString(flags, 'tokenFile');
	if (tokenFileFlag !== undefined) hiveToken = await readToken(expandHome(tokenFileFlag, env), '--token-file');
	else if (env.HIVE_TOKEN) hiveToken = env.HIVE_TOKEN.trim() || null;
	else if (context.tokenFile) hiveToken = await readToken(expandHome(context.tokenFile, env), `${fileLabel}.tokenFile`);
	registerSecret(hiveToken);

	const {thresholds, problems} = mergeThresholds(context.thresholds);
	if (problems.length) throw new ConfigError(problems.map((p) => `${fileLabel}.${p}`).join('\n'));

	const state = stateDir(env);
	const logsFlag = flagString(flags, 'logs');
	const auditFlag = flagString(flags, 'auditLog');
	const logFileFlag = flagString(flags, 'logFile');
	const readOnly = flags.readOnly === true || context.readOnly === true;

	return {
		contextName,
		configPath: file ? configPath : null,
		hiveUrl,
		hiveToken,
		redisUrl,
		databaseUrl,
		alertmanagerUrl,
		apiProfile,
		intervalMs: Math.round(intervalSeconds * 1000),
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
		warnings,
	};
}
