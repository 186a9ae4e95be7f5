// The one HTTP path to the hive, for reads and for recovery actions alike: a keep-alive undici Agent, a
// whole-request deadline (AbortSignal.timeout, precise, unlike undici's headers/body timeouts) composed with
// the caller's signal, a response size cap, bodies always consumed or destroyed, an optional bearer token,
// and errors that are one redacted line naming method, path and what to do.
import {Agent, request as undiciRequest} from 'undici';
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
	const dispatcher = new Agent({
		keepAliveTimeout: 10_000,
		connections: 16,
		// Backstops only: the AbortSignal deadline below is the real limit.
		headersTimeout: options.timeoutMs + 5_000,
		bodyTimeout: options.timeoutMs + 5_000,
		connect: {timeout: options.timeoutMs},
	});
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
		if (deadline.aborted || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
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
			case 'UND_ERR_SOCKET':
			case 'EPIPE':
				return new HiveRequestError(endpoint, 'down', oneLine(`${endpoint}: connection to ${displayUrl} closed mid-request; the hive may be restarting`), null, {cause: error});
			case 'EHOSTUNREACH':
			case 'ENETUNREACH':
				return new HiveRequestError(endpoint, 'down', oneLine(`${endpoint}: ${displayUrl} is unreachable from here; check the network or the hive URL`), null, {cause: error});
			default:
				if (typeof code === 'string' && /^ERR_TLS|CERT|SSL/.test(code)) {
					return new HiveRequestError(endpoint, 'misconfigured', oneLine(`${endpoint}: TLS failure talking to ${displayUrl} (${code}); check the certificate or use the right scheme`), null, {cause: error});
				}
				return new HiveRequestError(endpoint, 'down', oneLine(`${endpoint}: request to ${displayUrl} failed: ${describeError(error)}`), null, {cause: error});
		}
	}

	async function request(route: Route, requestOptions: RequestOptions = {}): Promise<HiveResponse> {
		const {url, endpoint} = target(route, requestOptions);
		if (closed) throw new HiveRequestError(endpoint, 'down', `${endpoint}: the hive client is closed`);
		const timeoutMs = requestOptions.timeoutMs ?? options.timeoutMs;
		const deadline = AbortSignal.timeout(timeoutMs);
		const signal = requestOptions.signal ? AbortSignal.any([deadline, requestOptions.signal]) : deadline;
		const hasBody = requestOptions.body !== undefined;
		let response: Awaited<ReturnType<typeof undiciRequest>> | undefined;
		try {
			response = await undiciRequest(url, {
				method: route.method,
				dispatcher,
				signal,
				headers: hasBody ? {...headers, 'content-type': 'application/json'} : headers,
				body: hasBody ? JSON.stringify(requestOptions.body) : undefined,
			});
			if (requestOptions.discardBody) {
				await response.body.dump({limit: maxBodyBytes, signal});
				return {status: response.statusCode, contentType: null, text: '', json: undefined, endpoint};
			}
			const declared = Number(response.headers['content-length']);
			if (Number.isFinite(declared) && declared > maxBodyBytes) {
				throw new HiveRequestError(endpoint, 'down', tooLarge(endpoint, maxBodyBytes));
			}
			const chunks: Buffer[] = [];
			let size = 0;
			for await (const chunk of response.body) {
				size += (chunk as Buffer).length;
				if (size > maxBodyBytes) throw new HiveRequestError(endpoint, 'down', tooLarge(endpoint, maxBodyBytes));
				chunks.push(chunk as Buffer);
			}
			const text = Buffer.concat(chunks).toString('utf8');
			const contentTypeHeader = response.headers['content-type'];
			const contentType = (Array.isArray(contentTypeHeader) ? contentTypeHeader[0] : contentTypeHeader) ?? null;
			let json: unknown;
			try {
				json = text === '' ? undefined : JSON.parse(text);
			} catch {
				json = undefined;
			}
			return {status: response.statusCode, contentType, text, json, endpoint};
		} catch (error) {
			// A body left unread keeps its connection busy forever: destroy it on every failure path.
			if (response && !response.body.destroyed) {
				// Destroying emits an AbortError on the stream; with no listener that would be an uncaught
				// exception that ends the process.
				response.body.on('error', () => {});
				response.body.destroy();
			}
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
		const response = await getText(route, requestOptions);
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
		close: async () => {
			if (closed) return;
			closed = true;
			await dispatcher.close().catch(() => dispatcher.destroy());
		},
	};
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
