// The simulator's HTTP front: routing, FastAPI-style errors, bearer auth, and the injected faults, on plain
// node:http. Whatever a client sends, the server answers or deliberately hangs; it never crashes.
import {randomBytes} from 'node:crypto';
import http from 'node:http';
import type {Socket} from 'node:net';
import {HttpError} from './http-errors.js';
import type {SimContext} from './context.js';
import type {Fault} from './faults.js';
import {writeFamilies, PROMETHEUS_CONTENT_TYPE} from './prometheus-text.js';

export interface Reply {
	status: number;
	body: string;
	contentType: string;
	headers?: Record<string, string>;
}

export function jsonReply(value: unknown, status = 200): Reply {
	return {status, body: JSON.stringify(value), contentType: 'application/json'};
}

export function textReply(body: string, contentType = PROMETHEUS_CONTENT_TYPE, status = 200): Reply {
	return {status, body, contentType};
}

export interface Request {
	method: string;
	path: string;
	query: URLSearchParams;
	params: Record<string, string>;
	/** Parsed JSON body; undefined when empty. Throws 422 for a body that is not JSON. */
	body: unknown;
	headers: http.IncomingHttpHeaders;
}

export type Handler = (req: Request, ctx: SimContext) => Reply | Promise<Reply>;

interface RouteEntry {
	method: string;
	pattern: RegExp;
	names: string[];
	handler: Handler;
	/** /_sim routes: never faulted, never behind auth. */
	control: boolean;
}

export class Router {
	private readonly routes: RouteEntry[] = [];

	/** `path` may carry a query string (as in routes.ts); only the path part is matched. */
	add(method: string, path: string, handler: Handler, control = false): void {
		const bare = path.split('?')[0]!;
		const names: string[] = [];
		const source = bare.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
			names.push(name);
			return '([^/]+)';
		});
		this.routes.push({method, pattern: new RegExp(`^${source}$`), names, handler, control});
	}

	match(method: string, path: string): {entry: RouteEntry; params: Record<string, string>} | 'method-not-allowed' | null {
		let pathMatched = false;
		for (const entry of this.routes) {
			const m = entry.pattern.exec(path);
			if (!m) continue;
			pathMatched = true;
			if (entry.method !== method) continue;
			const params: Record<string, string> = {};
			entry.names.forEach((name, i) => {
				try {
					params[name] = decodeURIComponent(m[i + 1]!);
				} catch {
					params[name] = m[i + 1]!;
				}
			});
			return {entry, params};
		}
		return pathMatched ? 'method-not-allowed' : null;
	}
}

/** Request bodies above this are refused with 413 (the hive's actions take a few fields of JSON). */
export const MAX_BODY = 1024 * 1024;
const utf8 = new TextDecoder('utf-8', {fatal: true});

/**
 * Reads the body up to the cap. 'too-large' stops reading at once (the reply closes the connection);
 * 'gone' means the client went away mid-body, so nothing is run on a partial request.
 */
function readBody(req: http.IncomingMessage): Promise<Buffer | 'too-large' | 'gone'> {
	const declared = Number(req.headers['content-length']);
	if (Number.isFinite(declared) && declared > MAX_BODY) return Promise.resolve('too-large');
	if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const done = (value: Buffer | 'too-large' | 'gone') => {
			req.off('data', onData);
			req.off('end', onEnd);
			req.off('close', onClose);
			req.off('error', onClose);
			resolve(value);
		};
		const onData = (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY) {
				req.pause();
				done('too-large');
			} else chunks.push(chunk);
		};
		const onEnd = () => done(Buffer.concat(chunks));
		const onClose = () => done('gone');
		req.on('data', onData);
		req.once('end', onEnd);
		req.once('close', onClose);
		req.once('error', onClose);
	});
}

function parseJsonBody(raw: Buffer, contentType: string | undefined): unknown {
	let text: string;
	try {
		text = utf8.decode(raw);
	} catch {
		// FastAPI: a body json.loads cannot even decode is not a JSONDecodeError but a plain 400.
		throw new HttpError(400, 'There was an error parsing the body');
	}
	if (text.trim() === '') return undefined;
	// FastAPI reads a JSON body only when the client says it is JSON (or says nothing).
	if (contentType && !/json/i.test(contentType)) {
		throw new HttpError(422, [{type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: text.slice(0, 200)}]);
	}
	try {
		return JSON.parse(text);
	} catch (error) {
		const position = /position (\d+)/.exec(String(error))?.[1];
		throw new HttpError(422, [{type: 'json_invalid', loc: ['body', position ? Number(position) : 0], msg: 'JSON decode error', input: {}, ctx: {error: 'Expecting value'}}]);
	}
}

/** The request target's path and query, without URL normalisation (uvicorn routes the raw path). */
function splitTarget(target: string): {path: string; query: URLSearchParams} {
	const q = target.indexOf('?');
	let path = q >= 0 ? target.slice(0, q) : target;
	const query = new URLSearchParams(q >= 0 ? target.slice(q + 1) : '');
	if (!path.startsWith('/')) {
		// Absolute form (`GET http://host/path`) or junk: never let it throw.
		try {
			path = new URL(path).pathname;
		} catch {
			path = '/' + path;
		}
	}
	return {path, query};
}

const TOO_LARGE: Reply = {status: 413, body: JSON.stringify({detail: 'Request body too large'}), contentType: 'application/json', headers: {connection: 'close'}};

function errorReply(error: unknown): Reply {
	if (error instanceof HttpError) return jsonReply({detail: error.detail}, error.status);
	return jsonReply({detail: 'Internal Server Error'}, 500);
}

function isPrometheus(reply: Reply): boolean {
	return reply.contentType.startsWith('text/plain');
}

function errorMetricBody(path: string): string {
	if (path.endsWith('/metrics/coordination')) {
		return writeFamilies([{name: 'leanvibe_coordination_metrics_error', help: 'Error generating coordination metrics', samples: [{value: 1, kind: 'int'}]}], null);
	}
	if (path.endsWith('/metrics/agents')) {
		return writeFamilies([{name: 'leanvibe_agent_metrics_error', help: 'Error generating agent metrics', samples: [{value: 1, kind: 'int'}]}], null);
	}
	return writeFamilies(
		[
			{name: 'leanvibe_metrics_generation_errors', help: 'Errors during metrics generation', samples: [{value: 1, kind: 'int'}]},
			{name: 'leanvibe_system_healthy', help: 'Overall system health (1=healthy, 0=unhealthy)', samples: [{value: 0, kind: 'int'}]},
		],
		null,
	);
}

/** Valid JSON whose shape is wrong: the first list becomes an object, or else the first field changes type. */
function wrongType(value: unknown): unknown {
	if (Array.isArray(value)) return {items: value};
	if (value === null || typeof value !== 'object') return {value};
	const out: Record<string, unknown> = {...(value as Record<string, unknown>)};
	const listKey = Object.keys(out).find((k) => Array.isArray(out[k]));
	if (listKey) {
		out[listKey] = Object.fromEntries((out[listKey] as unknown[]).map((v, i) => [String(i), v]));
		return out;
	}
	const key = Object.keys(out)[0];
	if (key !== undefined) out[key] = typeof out[key] === 'number' ? String(out[key]) : 42;
	return out;
}

function malformedPrometheus(body: string): string {
	const lines = body.split('\n');
	const broken = lines.map((line, i) => {
		if (line.startsWith('#') || line === '') return line;
		if (i % 3 === 0) return line.replace(/\{/, '{broken="').replace(/ ([^ ]+)$/, '');
		if (i % 3 === 1) return line.replace(/ ([^ ]+)$/, ' not-a-number');
		return line;
	});
	const text = broken.join('\n');
	return text.slice(0, Math.max(1, Math.floor(text.length * 0.8)));
}

/** What a reverse proxy or an SSO login page answers in the API's place: HTML, and status 200. */
export const HTML_PAGE =
	'<!DOCTYPE html>\n<html><head><title>Sign in</title></head>\n<body><h1>Sign in to continue</h1>\n' +
	'<form method="post" action="/login"><input name="user"><input name="password" type="password"></form>\n</body></html>\n';

export const HUGE_DIGITS = 1_000_000;

/**
 * The same reply with its first value replaced by a number of HUGE_DIGITS digits: still well-formed text,
 * so only a reader that caps what it parses notices (a float parse gives Infinity, a regex may never end).
 */
function huge(reply: Reply): Reply {
	const digits = '9'.repeat(HUGE_DIGITS);
	if (isPrometheus(reply)) {
		const body = reply.body.replace(/^([a-zA-Z_:][^ \n]*(?:\{[^}\n]*\})?) \S+$/m, (_m, series: string) => `${series} ${digits}`);
		return {...reply, body: body === reply.body ? `leanvibe_padding ${digits}\n${reply.body}` : body};
	}
	const marker = '\u0000huge\u0000';
	let value: unknown;
	try {
		value = JSON.parse(reply.body);
	} catch {
		value = null;
	}
	let placed = false;
	const place = (node: unknown): unknown => {
		if (placed) return node;
		if (typeof node === 'number') {
			placed = true;
			return marker;
		}
		if (Array.isArray(node)) return node.map(place);
		if (node !== null && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, place(v)]));
		return node;
	};
	const marked = place(value);
	const body = placed ? JSON.stringify(marked).replace(JSON.stringify(marker), digits) : JSON.stringify({value: marked, count: 0}).replace('"count":0', `"count":${digits}`);
	return {...reply, status: 200, contentType: 'application/json', body};
}

/** Applies a fault to a reply that the handler produced normally. */
export function spoil(reply: Reply, mode: Fault['mode'], path: string): Reply {
	switch (mode) {
		case 'malformed-json':
			return {...reply, status: 200, contentType: 'application/json', body: reply.body.slice(0, Math.max(1, Math.floor(reply.body.length / 2)))};
		case 'malformed-prometheus':
			return {...reply, status: 200, contentType: PROMETHEUS_CONTENT_TYPE, body: malformedPrometheus(isPrometheus(reply) ? reply.body : errorMetricBody(path))};
		case 'error-metric':
			if (isPrometheus(reply) || path.includes('/metrics')) return textReply(errorMetricBody(path));
			return jsonReply({error: 'Internal error while collecting data'});
		case 'wrong-type':
			if (isPrometheus(reply)) return {...reply, body: reply.body.replace(/^(leanvibe_\S+) (\S+)$/m, '$1 "$2"')};
			try {
				return jsonReply(wrongType(JSON.parse(reply.body)), reply.status);
			} catch {
				return reply;
			}
		case 'html':
			return {status: 200, contentType: 'text/html; charset=utf-8', body: HTML_PAGE};
		case 'huge':
			return huge(reply);
		default:
			return reply;
	}
}

export interface HttpServer {
	server: http.Server;
	close(): Promise<void>;
}

/** What the server holds open right now; /_sim/state shows it so tests can see nothing leaks. */
export interface ServerStats {
	open_connections: number;
	hanging_requests: number;
	pending_timers: number;
}

/** Takes over a connection that asks to switch protocols (the dashboard WebSockets). */
export type UpgradeHandler = (req: http.IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => void;

export function createHttpServer(router: Router, ctx: SimContext, onUpgrade: UpgradeHandler | null = null): HttpServer {
	const timers = new Set<NodeJS.Timeout>();
	const hung = new Set<http.ServerResponse>();
	const sockets = new Set<Socket>();

	/** Resolves true after ms, false (and no timer left behind) if the client goes away first. */
	const wait = (res: http.ServerResponse, ms: number) =>
		new Promise<boolean>((resolve) => {
			const timer = setTimeout(() => {
				timers.delete(timer);
				res.off('close', onClose);
				resolve(true);
			}, ms);
			const onClose = () => {
				clearTimeout(timer);
				timers.delete(timer);
				resolve(false);
			};
			timers.add(timer);
			res.once('close', onClose);
		});

	const send = (res: http.ServerResponse, reply: Reply) => {
		if (res.destroyed || res.writableEnded) return;
		res.writeHead(reply.status, {'content-type': reply.contentType, 'content-length': Buffer.byteLength(reply.body), ...reply.headers});
		res.end(reply.body);
	};

	// Bytes that no reader can take for JSON or text: 0xFF never occurs in UTF-8, so the first byte already
	// fails, whatever the random rest happens to spell.
	const sendGarbage = (res: http.ServerResponse) => {
		if (res.destroyed || res.writableEnded) return;
		const body = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00]), randomBytes(4093)]);
		res.writeHead(200, {'content-type': 'application/json', 'content-length': body.length});
		res.end(body);
	};

	// The connection drops mid-body: the length promised in the headers never arrives, which a client sees
	// as an aborted or premature-close error rather than as a body that fails to parse.
	const sendTruncated = (res: http.ServerResponse, reply: Reply) => {
		if (res.destroyed || res.writableEnded) return;
		const full = Buffer.from(reply.body);
		res.writeHead(reply.status, {'content-type': reply.contentType, 'content-length': full.length, ...reply.headers});
		res.write(full.subarray(0, Math.max(1, Math.floor(full.length / 2))), () => res.destroy());
	};

	const hang = (res: http.ServerResponse) => {
		// No timer: the request stays open until the client gives up (or the server closes).
		hung.add(res);
		res.once('close', () => hung.delete(res));
	};

	const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
		const {path, query} = splitTarget(req.url ?? '/');
		const method = (req.method ?? 'GET').toUpperCase();
		// The socket may be gone by the time the reply finishes: read the peer now.
		const peer = `${req.socket?.remoteAddress ?? '-'}:${req.socket?.remotePort ?? 0}`;
		res.once('finish', () => {
			ctx.world.log('INFO', 'uvicorn.access', `${peer} - "${method} ${path} HTTP/${req.httpVersion}" ${res.statusCode}`);
		});
		// Refused at once, before anything else looks at the request. What the client is still sending is
		// then read and dropped, up to a bound, with the connection left open meanwhile, so a client that
		// writes its whole body first sees the 413 rather than a reset under its write (EPIPE); a 100 MB
		// upload is cut off after that bound.
		if (Number(req.headers['content-length']) > MAX_BODY) {
			let drained = 0;
			req.on('data', (chunk: Buffer) => {
				drained += chunk.length;
				if (drained > 4 * MAX_BODY) req.socket.destroy();
			});
			return send(res, {...TOO_LARGE, headers: {}});
		}
		const match = router.match(method, path);
		if (path.startsWith('/_sim/')) {
			if (match === null || match === 'method-not-allowed' || !match.entry.control) return send(res, jsonReply({detail: 'Not Found'}, 404));
			return send(res, await run(match.entry.handler, match.params, req, query, method, path));
		}
		const fault = ctx.faults.take(path);
		if (fault?.mode === 'hang') return hang(res);
		if (fault?.mode === 'status-500') return send(res, jsonReply({detail: 'Internal Server Error'}, 500));
		if (fault?.mode === 'slow' && !(await wait(res, fault.delayMs))) return;
		if (ctx.auth.token !== null && req.headers.authorization !== `Bearer ${ctx.auth.token}`) {
			return send(res, {...jsonReply({detail: 'Not authenticated'}, 401), headers: {'www-authenticate': 'Bearer'}});
		}
		if (ctx.world.faults.flaky) {
			const roll = ctx.flakyRandom.next();
			if (roll < 0.1) return send(res, jsonReply({detail: 'Internal Server Error'}, 500));
			if (roll < 0.15 && !(await wait(res, 12_000))) return;
			if (roll >= 0.15 && roll < 0.2 && match !== null && match !== 'method-not-allowed') {
				const reply = await run(match.entry.handler, match.params, req, query, method, path);
				return send(res, spoil(reply, isPrometheus(reply) ? 'malformed-prometheus' : 'malformed-json', path));
			}
		}
		if (ctx.world.faults.dbBloat && method === 'GET' && path !== '/health' && !(await wait(res, 1000 + ctx.flakyRandom.next() * 1500))) return;
		if (match === null) return send(res, jsonReply({detail: 'Not Found'}, 404));
		if (match === 'method-not-allowed') return send(res, jsonReply({detail: 'Method Not Allowed'}, 405));
		const reply = await run(match.entry.handler, match.params, req, query, method, path);
		if (fault?.mode === 'garbage') return sendGarbage(res);
		if (fault?.mode === 'truncated') return sendTruncated(res, reply);
		return send(res, fault ? spoil(reply, fault.mode, path) : reply);
	};

	const run = async (handler: Handler, params: Record<string, string>, req: http.IncomingMessage, query: URLSearchParams, method: string, path: string): Promise<Reply> => {
		try {
			const raw = await readBody(req);
			if (raw === 'too-large') return TOO_LARGE;
			// Nobody is left to answer, and a cut-off body must not half-run an action.
			if (raw === 'gone') return jsonReply({detail: 'Client disconnected'}, 499);
			const request: Request = {method, path, query, params, headers: req.headers, body: undefined};
			// Parsed on first use: a GET with a junk body is ignored, as FastAPI does for routes without a body.
			Object.defineProperty(request, 'body', {get: () => parseJsonBody(raw, req.headers['content-type'])});
			return await handler(request, ctx);
		} catch (error) {
			return errorReply(error);
		}
	};

	// Checked every 2 s rather than Node's 30 s, so the timeouts below bite when they say.
	const server = http.createServer({connectionsCheckingInterval: 2000}, (req, res) => {
		handle(req, res).catch((error: unknown) => {
			if (!res.headersSent) send(res, errorReply(error));
			else res.destroy();
		});
	});
	// A client that trickles its headers (slowloris) or its body is cut off instead of holding a socket for
	// Node's defaults (60 s / 300 s). Replies may still take as long as a fault wants: these bound requests only.
	server.headersTimeout = 15_000;
	server.requestTimeout = 30_000;
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
	});
	server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
		if (!socket.writable) return socket.destroy();
		const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
		socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
	});
	// Upgrades get the same header limits as any request (they arrive through the same parser); without a
	// handler a client asking for a WebSocket is refused as Starlette refuses an unknown WebSocket route.
	server.on('upgrade', (req, socket, head) => {
		socket.on('error', () => socket.destroy());
		if (onUpgrade) return onUpgrade(req, socket, head);
		socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
		socket.destroy();
	});
	ctx.serverStats = () => ({open_connections: sockets.size, hanging_requests: hung.size, pending_timers: timers.size});
	return {
		server,
		close: () =>
			new Promise<void>((resolve) => {
				for (const timer of timers) clearTimeout(timer);
				timers.clear();
				for (const res of hung) res.destroy();
				hung.clear();
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
