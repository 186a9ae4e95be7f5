// The one HTTP path to the hive, for reads and for recovery actions alike: a keep-alive agent, a
// whole-request deadline (AbortSignal.timeout, precise, from connect to the last body byte) composed with
// the caller's signal, a response size cap, bodies always consumed or destroyed, an optional bearer token,
// and errors that are one redacted line naming method, path and what to do.
//
// It is built on node:http rather than undici: undici is a megabyte of JavaScript that every `status`
// run parsed and compiled before sending its first request (about a fifth of its start-up), while
// node:http is already in Node's start-up snapshot. What undici gave us beyond that (keep-alive, a
// connection cap, abortable requests) node:http's Agent does too; the one thing it does not, retrying a
// request whose reused keep-alive socket the server had just closed, is done here (GET only).
import http from 'node:http';
import {createRequire} from 'node:module';
import type {Route} from '../contract/routes.js';
import {fillPath} from '../contract/routes.js';
import type {SourceErrorKind} from './source.js';
import {describeError, redactUrl, registerSecret} from '../util/redact.js';
import {cutToWidth, sanitise} from '../util/terminal-text.js';

export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface HiveClientOptions {
	baseUrl: string;
	/** Bearer token value (the config layer reads HIVE_TOKEN or --token-file). */
	token?: string | null;
	/** Whole-request deadline in ms, from connect to the last body byte. */
	timeoutMs: number;
	maxBodyBytes?: number;
}

export interface RequestOptions {
	/** Values for `{id}` placeholders in the route's path; URL-encoded. */
	params?: Record<string, string>;
	/** Added to the route's own query string. */
	query?: Record<string, string | number | boolean | undefined>;
	/** Sent as JSON. */
	body?: unknown;
	signal?: AbortSignal;
	/** Overrides the client's deadline for this call. */
	timeoutMs?: number;
	/** Only the status matters (a probe): the body is drained unread and `text` is empty. */
	discardBody?: boolean;
}

export interface HiveResponse {
	status: number;
	contentType: string | null;
	text: string;
	/** The parsed body when it is valid JSON, else undefined (then `text` holds what came). */
	json: unknown;
	/** "GET /api/dashboard/metrics" (no host, no query secrets): for messages. */
	endpoint: string;
}

/** A failed request, already one redacted line: "GET /health: connection refused; is the hive running at URL?" */
export class HiveRequestError extends Error {
	constructor(
		readonly endpoint: string,
		readonly kind: SourceErrorKind,
		message: string,
		readonly status: number | null = null,
		options?: {cause?: unknown},
	) {
		super(message, options);
		this.name = 'HiveRequestError';
	}
}

export interface HiveClient {
	/** The base URL for display: credentials removed. */
	readonly displayUrl: string;
	/** Any method, any status: only transport failures (refused, timeout, size cap, abort) throw. */
	request(route: Route, options?: RequestOptions): Promise<HiveResponse>;
	/** A read that must answer 2xx; other statuses throw a HiveRequestError with the right kind. */
	getText(route: Route, options?: RequestOptions): Promise<HiveResponse>;
	/** getText plus JSON parsing; malformed JSON throws naming the endpoint. */
	getJson(route: Route, options?: RequestOptions): Promise<{endpoint: string; json: unknown; status: number}>;
	/** getJson's checks on a response already in hand (one the caller also read the status of). */
	readJson(response: HiveResponse): {endpoint: string; json: unknown; status: number};
	close(): Promise<void>;
}

function snippet(text: string): string {
	return cutToWidth(sanitise(text).replace(/\s+/g, ' ').trim(), 80);
}

function oneLine(text: string): string {
	return describeError(new Error(text));
}

export function createHiveClient(options: HiveClientOptions): HiveClient {
	let base: URL;
	try {
		base = new URL(options.baseUrl);
	} catch {
		throw new HiveRequestError('', 'misconfigured', oneLine(`hive URL ${redactUrl(options.baseUrl)} is not a valid URL; expected e.g. http://localhost:8000`));
	}
	if (base.protocol !== 'http:' && base.protocol !== 'https:') {
		throw new HiveRequestError('', 'misconfigured', oneLine(`hive URL ${redactUrl(options.baseUrl)} must start with http:// or https://`));
	}
	const headers: Record<string, string> = {accept: 'application/json, text/plain;q=0.9, */*;q=0.1', 'user-agent': 'hive-console'};
	const token = options.token?.trim() || null;
	if (token) {
		registerSecret(token);
		headers.authorization = `Bearer ${token}`;
	}
	if (base.username || base.password) {
		const user = decodeURIComponent(base.username);
		const pass = decodeURIComponent(base.password);
		registerSecret(pass);
		registerSecret(base.password);
		if (!token) headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
		base.username = '';
		base.password = '';
	}
	const displayUrl = redactUrl(base.toString()).replace(/\/$/, '');
	const basePath = base.pathname.replace(/\/+$/, '');
	const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
	// Idle keep-alive sockets close after 10 s (or sooner when the server's Keep-Alive header says so:
	// Node's agent reads that hint); at most 16 requests in flight, as many as a poll and an action need.
	const agentOptions = {keepAlive: true, maxSockets: 16, maxFreeSockets: 16, timeout: 10_000, scheduling: 'lifo' as const};
	// node:https (and with it node:tls) loads only for an https hive: a few ms of every `status` otherwise.
	const https = base.protocol === 'https:' ? (createRequire(import.meta.url)('node:https') as typeof import('node:https')) : null;
	const agent = https ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
	const transport = https ?? http;
	let closed = false;

	function target(route: Route, requestOptions: RequestOptions): {url: URL; endpoint: string} {
		const [pathPart, fixedQuery] = fillPath(route.path, requestOptions.params).split('?', 2) as [string, string?];
		const url = new URL(base.toString());
		url.pathname = basePath + pathPart;
		url.search = fixedQuery ?? '';
		for (const [key, value] of Object.entries(requestOptions.query ?? {})) {
			if (value !== undefined) url.searchParams.set(key, String(value));
		}
		return {url, endpoint: `${route.method} ${pathPart}`};
	}

	function transportError(endpoint: string, error: unknown, deadline: AbortSignal, timeoutMs: number, caller?: AbortSignal): HiveRequestError {
		if (error instanceof HiveRequestError) return error;
		const code = (error as {code?: unknown})?.code;
		const seconds = Math.round(timeoutMs / 100) / 10;
		if (deadline.aborted) {
			return new HiveRequestError(endpoint, 'down', oneLine(`${endpoint}: no answer within ${seconds} s from ${displayUrl}; the hive may be overloaded or hung (check its logs, or raise the deadline)`), null, {cause: error});
		}
		if (caller?.aborted) {
			return new HiveRequestError(endpoint, 'down', oneLine(`${endpoint}: cancelled (poll deadline passed or console stopping)`), null, {cause: error});
		}
		switch (code) {
			case 'ECONNREFUSED':
				return new HiveRequestError(endpoint, 'down', oneLine(`${endpoint}: connection refused; is the hive running at ${displayUrl}?`), null, {cause: error});
			case 'ENOTFOUND':
			case 'EAI_AGAIN':
				return new HiveRequestError(endpoint, code === 'ENOTFOUND' ? 'misconfigured' : 'down', oneLine(`${endpoint}: host ${base.hostname} not found; check the hive URL (--hive / HIVE_URL)`), null, {cause: error});
			case 'ECONNRESET':
			case 'EPIPE':
				return new HiveRequestError(endpoint, 'down', oneLine(`${endpoint}: connection to ${displayUrl} closed mid-request; the hive may be restarting`), null, {cause: error});
			case 'EHOSTUNREACH':
			case 'ENETUNREACH':
				return new HiveRequestError(endpoint, 'down', oneLine(`${endpoint}: ${displayUrl} is unreachable from here; check the network or the hive URL`), null, {cause: error});
			default:
				if (typeof code === 'string' && /^ERR_TLS|CERT|SSL|^UNABLE_TO_|^EPROTO$/.test(code)) {
					return new HiveRequestError(endpoint, 'misconfigured', oneLine(`${endpoint}: TLS failure talking to ${displayUrl} (${code}); check the certificate or use the right scheme`), null, {cause: error});
				}
				if (typeof code === 'string' && code.startsWith('HPE_')) {
					return new HiveRequestError(endpoint, 'down', oneLine(`${endpoint}: ${displayUrl} answered something that is not HTTP (${code}); is it a hive?`), null, {cause: error});
				}
				return new HiveRequestError(endpoint, 'down', oneLine(`${endpoint}: request to ${displayUrl} failed: ${describeError(error)}`), null, {cause: error});
		}
	}

	/** One exchange on the wire; the body is read whole (under the cap) unless discarded. */
	function exchange(url: URL, method: string, body: string | undefined, signal: AbortSignal, discardBody: boolean, endpoint: string): Promise<{status: number; contentType: string | null; text: string; reusedSocket: boolean}> {
		return new Promise((resolve, reject) => {
			let reusedSocket = false;
			let settled = false;
			const fail = (error: unknown) => {
				if (settled) return;
				settled = true;
				// A body left unread keeps its socket busy for ever: destroy the exchange on every failure.
				req.destroy();
				reject(Object.assign(error instanceof Error ? error : new Error(String(error)), {reusedSocket}));
			};
			const req = transport.request(url, {
				method,
				agent,
				signal,
				headers: body !== undefined ? {...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body)} : headers,
			});
			req.on('socket', () => {
				reusedSocket = req.reusedSocket;
			});
			req.on('error', fail);
			req.on('response', (res) => {
				res.on('error', fail);
				res.on('aborted', () => fail(Object.assign(new Error('aborted'), {code: 'ECONNRESET'})));
				const status = res.statusCode ?? 0;
				const contentTypeHeader = res.headers['content-type'];
				const contentType = (Array.isArray(contentTypeHeader) ? contentTypeHeader[0] : contentTypeHeader) ?? null;
				const declared = Number(res.headers['content-length']);
				if (!discardBody && Number.isFinite(declared) && declared > maxBodyBytes) {
					fail(new HiveRequestError(endpoint, 'down', tooLarge(endpoint, maxBodyBytes), status));
					return;
				}
				// A body of declared length is copied into one buffer as it arrives, so each chunk is garbage at
				// once and no second copy is made at the end (a 10,000-agent list is 5.4 MB); without a length
				// (chunked), the chunks are joined at the end.
				const whole = !discardBody && Number.isInteger(declared) && declared > 0 ? Buffer.allocUnsafe(declared) : null;
				const chunks: Buffer[] = [];
				let size = 0;
				let filled = 0;
				res.on('data', (chunk: Buffer) => {
					if (discardBody) return;
					if (size + chunk.length > maxBodyBytes) {
						fail(new HiveRequestError(endpoint, 'down', tooLarge(endpoint, maxBodyBytes), status));
						return;
					}
					if (whole && chunks.length === 0 && filled + chunk.length <= whole.length) filled += chunk.copy(whole, filled);
					else chunks.push(chunk);
					size += chunk.length;
				});
				res.on('end', () => {
					if (settled) return;
					// A body that ends before its declared length is a connection closed mid-request.
					if (!res.complete) {
						fail(Object.assign(new Error('aborted'), {code: 'ECONNRESET'}));
						return;
					}
					settled = true;
					resolve({status, contentType, text: discardBody ? '' : bodyText(whole, filled, chunks), reusedSocket});
				});
			});
			req.end(body);
		});
	}

	async function request(route: Route, requestOptions: RequestOptions = {}): Promise<HiveResponse> {
		const {url, endpoint} = target(route, requestOptions);
		if (closed) throw new HiveRequestError(endpoint, 'down', `${endpoint}: the hive client is closed`);
		const timeoutMs = requestOptions.timeoutMs ?? options.timeoutMs;
		const deadline = AbortSignal.timeout(timeoutMs);
		const signal = requestOptions.signal ? AbortSignal.any([deadline, requestOptions.signal]) : deadline;
		const body = requestOptions.body !== undefined ? JSON.stringify(requestOptions.body) : undefined;
		const discardBody = requestOptions.discardBody === true;
		try {
			let answer;
			try {
				answer = await exchange(url, route.method, body, signal, discardBody, endpoint);
			} catch (error) {
				// The server closed an idle keep-alive socket just as we reused it: nothing reached the hive, so
				// a read is sent once more on a fresh connection (never an action: it may have been received).
				const e = error as {code?: unknown; reusedSocket?: boolean};
				if (route.method !== 'GET' || !e.reusedSocket || e.code !== 'ECONNRESET' || signal.aborted) throw error;
				answer = await exchange(url, route.method, body, signal, discardBody, endpoint);
			}
			let json: unknown;
			if (!discardBody && answer.text !== '') {
				try {
					json = JSON.parse(answer.text);
				} catch {
					json = undefined;
				}
			}
			return {status: answer.status, contentType: discardBody ? null : answer.contentType, text: answer.text, json, endpoint};
		} catch (error) {
			throw transportError(endpoint, error, deadline, timeoutMs, requestOptions.signal);
		}
	}

	function statusError(response: HiveResponse): HiveRequestError {
		const {endpoint, status} = response;
		const detail = detailOf(response);
		const suffix = detail ? ` (${detail})` : '';
		if (status === 401 || status === 403) {
			const what = status === 401 ? 'unauthorised (HTTP 401)' : 'forbidden (HTTP 403)';
			return new HiveRequestError(endpoint, 'unauthorised', oneLine(`${endpoint}: ${what}; check HIVE_TOKEN or --token-file${suffix}`), status);
		}
		if (status === 404 || status === 405) {
			return new HiveRequestError(endpoint, 'misconfigured', oneLine(`${endpoint}: not found (HTTP ${status}) at ${displayUrl}; check the hive URL and --api-profile${suffix}`), status);
		}
		if (status >= 500) {
			return new HiveRequestError(endpoint, 'down', oneLine(`${endpoint}: hive error HTTP ${status}${suffix}; check the hive's logs`), status);
		}
		return new HiveRequestError(endpoint, 'down', oneLine(`${endpoint}: unexpected HTTP ${status}${suffix}`), status);
	}

	async function getText(route: Route, requestOptions: RequestOptions = {}): Promise<HiveResponse> {
		const response = await request(route, requestOptions);
		if (response.status < 200 || response.status >= 300) throw statusError(response);
		return response;
	}

	async function getJson(route: Route, requestOptions: RequestOptions = {}) {
		return readJson(await request(route, requestOptions));
	}

	function readJson(response: HiveResponse) {
		if (response.status < 200 || response.status >= 300) throw statusError(response);
		if (response.json === undefined) {
			const what = response.text.trim() === '' ? 'an empty body' : `malformed JSON: "${snippet(response.text)}"`;
			throw new HiveRequestError(response.endpoint, 'down', oneLine(`${response.endpoint}: ${what}; is ${displayUrl} a hive?`), response.status);
		}
		return {endpoint: response.endpoint, json: response.json, status: response.status};
	}

	return {
		displayUrl,
		request,
		getText,
		getJson,
		readJson,
		close: async () => {
			if (closed) return;
			closed = true;
			agent.destroy();
		},
	};
}

/** The body as text: the buffer filled in place, then any chunks past it (Node's parser sends none). */
function bodyText(whole: Buffer | null, filled: number, chunks: Buffer[]): string {
	if (!whole) return Buffer.concat(chunks).toString('utf8');
	if (chunks.length === 0) return whole.toString('utf8', 0, filled);
	return Buffer.concat([whole.subarray(0, filled), ...chunks]).toString('utf8');
}

function tooLarge(endpoint: string, cap: number): string {
	const size = cap >= 1024 * 1024 ? `${Math.round((cap / 1024 / 1024) * 10) / 10} MiB` : `${Math.max(1, Math.round(cap / 1024))} KiB`;
	return `${endpoint}: response larger than the ${size} cap; stopped reading (is this the hive? raise the cap if it is)`;
}

function detailOf(response: HiveResponse): string | null {
	const json = response.json as {detail?: unknown; error?: unknown} | undefined;
	const detail = json && typeof json === 'object' ? (json.detail ?? json.error) : undefined;
	if (typeof detail === 'string') return snippet(detail);
	if (detail !== undefined) return snippet(JSON.stringify(detail));
	return response.text ? snippet(response.text) : null;
}
