// One Redis connection for a dashboard: it must never crash the process on an 'error' event, never queue
// commands while Redis is away (a queued poll answers minutes late), and fail fast with a message an
// operator can act on. Standalone and Cluster are both handled here so the source only sees "nodes".
import type {Cluster, ClusterOptions, Redis, RedisOptions} from 'ioredis';
import {isIP} from 'node:net';
import type {ConnectionOptions} from 'node:tls';
import {SourceError, type SourceErrorKind} from './source.js';
import {describeError, isCleanUrl, redactMalformedUrl, registerSecret} from '../util/redact.js';
import {cutToWidth, sanitise} from '../util/terminal-text.js';

// ioredis is imported when a Redis source first connects, so a command with no Redis configured never
// loads it (about 15 ms of every `status`, CPU profile of one run).
let ioredis: typeof import('ioredis') | null = null;
let loading: Promise<void> | null = null;

/** Loads ioredis once; the create functions below need it loaded. */
export function loadIoredis(): Promise<void> {
	return (loading ??= import('ioredis').then((m) => {
		// ioredis is CommonJS: bundled, its exports arrive under `default`; unbundled (tests), named.
		ioredis = typeof m.Redis === 'function' ? m : (m as unknown as {default: typeof import('ioredis')}).default;
	}));
}

function loaded(): typeof import('ioredis') {
	if (!ioredis) throw new Error('redis: the client library is not loaded yet (loadIoredis was not awaited)');
	return ioredis;
}

export interface RedisTarget {
	host: string;
	port: number;
	username: string | undefined;
	password: string | undefined;
	db: number;
	tls: boolean;
	/** host:port, never the credentials: what error messages name. */
	display: string;
}

const URL_FORM = 'use redis://[:password@]host:port[/db], or rediss:// for TLS (--redis / REDIS_URL)';

/**
 * A URL that does not parse cleanly, said without any part of it that could be a password: a password
 * with an unencoded `/ # @ ?` splits the URL in the wrong place, and what the parser then calls the
 * database, path or host is a piece of the password. The URL is shown with everything up to its last
 * `@` replaced.
 */
function malformed(url: string, why: string): SourceError {
	return new SourceError(
		'redis',
		'misconfigured',
		`redis: the URL is not valid (malformed: ${why}): ${cutToWidth(sanitise(redactMalformedUrl(url)), 120)}; a password containing / # @ ? or % must be percent-encoded (%2F %23 %40 %3F %25); ${URL_FORM}`,
	);
}

function decode(part: string, url: string): string {
	try {
		return decodeURIComponent(part);
	} catch {
		throw malformed(url, 'a bad %-escape in the user or password');
	}
}

/** Parses and checks a redis:// or rediss:// URL; a bad one is a misconfiguration, said without secrets. */
export function parseRedisUrl(url: string): RedisTarget {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw malformed(url, 'not a URL');
	}
	if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
		throw new SourceError('redis', 'misconfigured', `redis: unsupported URL scheme "${sanitise(parsed.protocol.replace(/:$/, ''))}"; use redis:// or rediss:// (--redis / REDIS_URL)`);
	}
	// Before anything else is read from it: the parts after the host may hold a piece of the password.
	if (!isCleanUrl(url)) throw malformed(url, 'an @ after the host');
	if (parsed.hash !== '') throw malformed(url, 'a # in it');
	const password = parsed.password ? decode(parsed.password, url) : undefined;
	const username = parsed.username ? decode(parsed.username, url) : undefined;
	// redis://:secret@host puts the password in `password`; redis://secret@host (a common mistake and what
	// some tools write) puts it in `username`: treat a lone username as the password, as redis-cli does.
	const effectivePassword = password ?? username;
	const effectiveUser = password !== undefined ? username : undefined;
	registerSecret(effectivePassword);
	const dbText = parsed.pathname.replace(/^\//, '');
	const db = dbText === '' ? 0 : /^\d{1,5}$/.test(dbText) ? Number(dbText) : Number.NaN;
	if (!Number.isInteger(db)) {
		// The path is not echoed: with a password that was not encoded it can be part of it.
		throw malformed(url, 'the database after host:port/ is not a number such as /0');
	}
	const host = parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
	const port = parsed.port ? Number(parsed.port) : 6379;
	return {
		host,
		port,
		username: effectiveUser,
		password: effectivePassword,
		db,
		tls: parsed.protocol === 'rediss:',
		display: `${parsed.protocol === 'rediss:' ? 'rediss' : 'redis'} ${host}:${port}`,
	};
}

export interface ConnectionSettings {
	commandTimeoutMs: number;
	connectTimeoutMs: number;
	tls?: ConnectionOptions;
}

function reconnectDelay(times: number): number {
	// Bounded: keep trying in the background (so the same source recovers) but never faster than this.
	return Math.min(250 * 2 ** Math.min(times, 4), 3000);
}

export function baseOptions(target: RedisTarget, settings: ConnectionSettings): RedisOptions {
	return {
		host: target.host,
		port: target.port,
		username: target.username,
		password: target.password,
		db: target.db,
		// SNI takes host names only (RFC 6066); an IP address is checked against the certificate's IP SANs.
		tls: target.tls ? {...settings.tls, servername: settings.tls?.servername ?? (isIP(target.host) ? undefined : target.host)} : undefined,
		lazyConnect: true,
		maxRetriesPerRequest: 1,
		enableOfflineQueue: false,
		enableReadyCheck: true,
		autoResubscribe: false,
		commandTimeout: settings.commandTimeoutMs,
		connectTimeout: settings.connectTimeoutMs,
		retryStrategy: reconnectDelay,
		connectionName: 'hive-console',
		// disconnect() arms a timer of this length that only a 'close' event of the socket clears; a socket
		// Redis already refused or dropped has emitted it long before, so the timer always runs out and
		// kept every command alive 2 s (the default) after closing while Redis was down.
		disconnectTimeout: 100,
	};
}

export function createStandalone(target: RedisTarget, settings: ConnectionSettings, onError: (e: unknown) => void): Redis {
	const client = new (loaded().Redis)(baseOptions(target, settings));
	client.on('error', onError);
	return client;
}

export function createCluster(target: RedisTarget, settings: ConnectionSettings, onError: (e: unknown) => void): Cluster {
	const {host, port, db: _db, lazyConnect: _lazy, retryStrategy: _retry, ...redisOptions} = baseOptions(target, settings);
	const options: ClusterOptions = {
		redisOptions,
		lazyConnect: true,
		enableOfflineQueue: false,
		enableReadyCheck: true,
		maxRedirections: 4,
		scaleReads: 'master',
		clusterRetryStrategy: reconnectDelay,
		slotsRefreshTimeout: settings.connectTimeoutMs,
		dnsLookup: (address, callback) => callback(null, address),
	};
	const cluster = new (loaded().Cluster)([{host, port}], options);
	cluster.on('error', onError);
	cluster.on('node error', onError);
	return cluster;
}

type Connectable = Redis | Cluster;

/**
 * Resolves once `client` is ready; starts (or restarts) the connection if it is idle. Rejects after
 * `timeoutMs` or on abort; the caller turns the last connection error into a SourceError.
 */
export async function waitReady(client: Connectable, timeoutMs: number, signal: AbortSignal): Promise<void> {
	if (client.status === 'ready') return;
	if (client.status === 'wait' || client.status === 'end' || client.status === 'close') {
		// connect() rejects on the first failure; retries continue in the background via retryStrategy.
		client.connect().catch(() => undefined);
	}
	await new Promise<void>((resolve, reject) => {
		const done = (error?: Error) => {
			clearTimeout(timer);
			client.off('ready', onReady);
			client.off('error', onError);
			client.off('end', onEnd);
			signal.removeEventListener('abort', onAbort);
			if (error) reject(error);
			else resolve();
		};
		const onReady = () => done();
		// Fail on the first connection error: a dashboard should say "refused" now, not at its deadline.
		const onError = (error: Error) => done(error);
		const onEnd = () => done(new Error('connection ended'));
		const onAbort = () => done(new Error('aborted'));
		const timer = setTimeout(() => done(new Error(`not ready after ${timeoutMs} ms`)), timeoutMs);
		client.once('ready', onReady);
		client.once('error', onError);
		client.once('end', onEnd);
		if (signal.aborted) onAbort();
		else signal.addEventListener('abort', onAbort, {once: true});
	});
}

/** Redis error text (ReplyError message or Node errno) → what the operator should hear. */
export function classifyRedisError(error: unknown, target: Pick<RedisTarget, 'display'>, command: string): SourceError {
	const text = describeError(error);
	const code = (error as {code?: string} | null)?.code;
	const make = (kind: SourceErrorKind, message: string) => new SourceError('redis', kind, message, {cause: error});
	const where = `redis ${command} (${target.display})`;
	if (/WRONGPASS|invalid password|invalid username-password/i.test(text)) {
		return make('unauthorised', `${where}: the password was rejected (WRONGPASS); fix the password in --redis / REDIS_URL`);
	}
	if (/NOAUTH/i.test(text)) {
		return make('unauthorised', `${where}: Redis requires a password (NOAUTH); put it in the URL: redis://:PASSWORD@host:port`);
	}
	if (/NOPERM/i.test(text)) {
		return make('unauthorised', `${where}: the Redis user may not run ${command} (NOPERM); grant it +@read +scan +info +xinfo +xpending in the ACL`);
	}
	if (/no password is set|without any password configured/i.test(text)) {
		return make('misconfigured', `${where}: the URL has a password but the server has none; remove it from --redis / REDIS_URL`);
	}
	if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(text)) {
		return make('down', `${where}: connection refused; is redis-server running there (--redis / REDIS_URL)?`);
	}
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || /ENOTFOUND|EAI_AGAIN/.test(text)) {
		return make('misconfigured', `${where}: host name does not resolve; check the host in --redis / REDIS_URL`);
	}
	if (/certificate|self[- ]signed|SSL|TLS|wrong version number|EPROTO/i.test(text)) {
		return make('misconfigured', `${where}: TLS handshake failed (${text}); check rediss:// vs redis:// and the CA`);
	}
	if (/Command timed out|ETIMEDOUT|not ready after|timeout/i.test(text)) {
		return make('down', `${where}: no answer in time (${text}); Redis may be overloaded or unreachable`);
	}
	if (/MOVED|CLUSTERDOWN|cluster support disabled/i.test(text)) {
		return make('down', `${where}: cluster not serving (${text}); check the cluster state with redis-cli --cluster check`);
	}
	if (/ECONNRESET|EPIPE|Connection is closed|isn't writeable|connection ended|Stream isn't writeable/i.test(text)) {
		return make('down', `${where}: connection lost (${text}); retrying`);
	}
	if (/unknown command|ERR unknown/i.test(text)) {
		return make('misconfigured', `${where}: the server does not support ${command} (${text}); Redis 5 or newer is needed`);
	}
	return make('down', `${where}: ${text}`);
}
