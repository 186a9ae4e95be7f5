// A hive that lies in every text field: a proxy in front of the real simulator that writes hostile strings
// into each free-text field of its JSON (names, roles, titles, details, errors, messages, replies), answers
// chosen reads with hostile error bodies, and can serve the largest hostile bodies the client reads. Plus the
// assertions every output must pass: nothing a terminal would act on, nothing invisible, bounded widths,
// and JSON that escapes what it carries.
import http from 'node:http';
import {expect} from 'vitest';
import stringWidth from 'string-width';

/**
 * Hostile strings: C0 (ESC, BEL, BS, CR), C1 (CSI U+009B, ST U+009C, OSC U+009D), bidi overrides and
 * isolates, zero-width characters, U+2028/2029, a lone surrogate, OSC 52 (clipboard write) and OSC 8 (link).
 */
export const HOSTILE = [
	'esc\u001B[2Jclear\u001B[31mred',
	'osc52\u001B]52;c;ZWNobyBwd25lZA==\u0007clip',
	'\u001B]8;;https://evil.example/\u001B\\link\u001B]8;;\u001B\\',
	'c1\u009B31mcsi\u009Dosc\u009Cst',
	'bidi\u202Eevil\u202C\u2066iso\u2067\u2068\u2069',
	'zw\u200Bsp\uFEFFbom',
	'ls\u2028ps\u2029end',
	'lone\uD800surrogate\uDC00x',
	'cr\roverwrite\bback\u0007bell',
];
/** The long one: 10,000 characters. */
export const LONG = 'L'.repeat(9_990) + '-long-name';
/** One string with every hostile piece, for fields that are read only once. */
export const ALL_HOSTILE = HOSTILE.join('|');

// ----------------------------------------------------------------- assertions

// C0 but newline (tab is checked separately: it is allowed only where the caller says so), DEL, C1.
// eslint-disable-next-line no-control-regex
const C0_C1 = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
const BIDI_ZW = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B\u200C\u2060-\u2064\uFEFF\u00AD\u180E\u2028\u2029]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Our own colours: SGR only. Stripped before the checks when the caller allows colour.
// eslint-disable-next-line no-control-regex
const SGR = /\u001B\[[0-9;]*m/g;

function where(text: string, index: number): string {
	return JSON.stringify(text.slice(Math.max(0, index - 40), index + 40));
}

/**
 * Terminal text that came through the program: no control a terminal acts on, no invisible or bidi
 * character, no lone surrogate, and (with `maxWidth`) no line wider than that.
 */
export function expectTerminalSafe(what: string, text: string, options: {maxWidth?: number; tabs?: boolean; colour?: boolean} = {}): void {
	const plain = options.colour ? text.replace(SGR, '') : text;
	for (const [name, re] of [['C0/C1 control', C0_C1], ['bidi/zero-width/line separator', BIDI_ZW], ['lone surrogate', LONE_SURROGATE]] as const) {
		const m = re.exec(plain);
		expect(m, `${what}: ${name} U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m ? where(plain, m.index) : ''}`).toBeNull();
	}
	if (!options.tabs) expect(plain.includes('\t'), `${what}: a tab`).toBe(false);
	if (options.maxWidth !== undefined) {
		for (const line of plain.split('\n')) {
			const w = line.length > 4 * options.maxWidth ? line.length : stringWidth(line);
			expect(w, `${what}: a line ${w} columns wide (bound ${options.maxWidth}): ${JSON.stringify(line.slice(0, 120))}`).toBeLessThanOrEqual(options.maxWidth);
		}
	}
}

/**
 * JSON output: the raw bytes carry no control, bidi, invisible or separator character (they are `\u`
 * escapes), and every line (or the whole text) parses. Returns the parsed values.
 */
export function expectJsonSafe(what: string, raw: string, options: {lines?: boolean} = {}): unknown[] {
	const bytes = raw.replace(/\n/g, '');
	for (const [name, re] of [['raw C0/C1 control', C0_C1], ['raw bidi/zero-width/separator', BIDI_ZW], ['raw lone surrogate', LONE_SURROGATE]] as const) {
		const m = re.exec(bytes);
		expect(m, `${what}: ${name} U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m ? where(bytes, m.index) : ''}`).toBeNull();
	}
	const docs = options.lines ? raw.split('\n').filter((l) => l.trim() !== '') : [raw];
	return docs.map((d) => JSON.parse(d));
}

/** Every string inside a parsed JSON value. */
export function jsonStrings(value: unknown, out: string[] = []): string[] {
	if (typeof value === 'string') out.push(value);
	else if (Array.isArray(value)) for (const v of value) jsonStrings(v, out);
	else if (value && typeof value === 'object') for (const v of Object.values(value)) jsonStrings(v, out);
	return out;
}

// ----------------------------------------------------------------- the proxy

/** Free-text fields of the hive's JSON (reads and action replies); ids, statuses and times are left alone. */
const FREE_TEXT = new Set(['name', 'role', 'title', 'details', 'detail', 'error', 'message', 'reason', 'version', 'description', 'agent_name', 'new_agent_name', 'assigned_agent_name', 'warning', 'tmux_session']);
/** Arrays of sentences in action replies. */
const FREE_TEXT_LISTS = new Set(['actions_performed', 'next_steps', 'recovery_steps', 'recommendations']);

let counter = 0;
const nextHostile = () => HOSTILE[counter++ % HOSTILE.length]!;

function poison(value: unknown, key = ''): unknown {
	if (typeof value === 'string') return FREE_TEXT.has(key) ? `${value}${nextHostile()}` : value;
	if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' && FREE_TEXT_LISTS.has(key) ? `${v}${nextHostile()}` : poison(v, key)));
	if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poison(v, k)]));
	return value;
}

export type HostileMode = 'pass' | 'hostile' | 'huge';

export interface HostileProxy {
	url: string;
	mode: HostileMode;
	/** Paths (without query) answered with a hostile error instead: 500 with a hostile text body, or 200 {error}. */
	errors: Map<string, 'status-500' | 'error-200' | 'detail-404'>;
	/** Every request seen, "METHOD /path". */
	seen: string[];
	close(): Promise<void>;
}

/**
 * The largest bodies the client reads, made of what made parsers backtrack: a Prometheus value of 1 MB of
 * digits, JSON with 1 MB names of `agent agent …` and 1 MB digit runs where numbers go.
 */
export function hugeBody(pathname: string, bytes = 1024 * 1024): {type: string; body: string} {
	if (pathname.includes('metrics')) {
		return {type: 'text/plain; version=0.0.4', body: `# HELP leanvibe_coordination_success_rate x\nleanvibe_coordination_success_rate ${'9'.repeat(bytes / 2)}\nleanvibe_agent_health{agent_name="${'agent '.repeat(bytes / 12)}"} 1\n`};
	}
	if (pathname.includes('agents')) {
		const name = `${'agent '.repeat(Math.floor(bytes / 12))}\u001B[2J\u202E`;
		return {type: 'application/json', body: JSON.stringify({agents: [{id: 'a1', name, type: 'x', role: name.slice(0, bytes / 4), status: 'active'}], total_agents: '1'.repeat(bytes / 4), active_agents: 1})};
	}
	return {type: 'application/json', body: `{"status": "healthy", "version": "${'1'.repeat(bytes / 2)}", "queue_length": ${'7'.repeat(bytes / 2)}}`};
}

export async function startHostileProxy(upstream: string, options: {hugeBytes?: number} = {}): Promise<HostileProxy> {
	const proxy = {mode: 'pass' as HostileMode, errors: new Map() as HostileProxy['errors'], seen: [] as string[]};
	const server = http.createServer(async (req, res) => {
		const chunks: Buffer[] = [];
		for await (const c of req) chunks.push(c as Buffer);
		const requestBody = Buffer.concat(chunks);
		const url = new URL(req.url ?? '/', 'http://x');
		proxy.seen.push(`${req.method} ${url.pathname}`);
		const mode = proxy.mode;
		try {
			if (mode === 'huge' && req.method === 'GET') {
				const {type, body} = hugeBody(url.pathname, options.hugeBytes);
				res.writeHead(200, {'content-type': type});
				res.end(body);
				return;
			}
			const fault = mode === 'hostile' ? proxy.errors.get(url.pathname) : undefined;
			if (fault === 'status-500') {
				res.writeHead(500, {'content-type': 'text/plain'});
				res.end(`Internal Server Error ${ALL_HOSTILE} ${LONG}`);
				return;
			}
			if (fault === 'error-200') {
				res.writeHead(200, {'content-type': 'application/json'});
				res.end(JSON.stringify({error: `refused ${ALL_HOSTILE} ${LONG}`}));
				return;
			}
			if (fault === 'detail-404') {
				res.writeHead(404, {'content-type': 'application/json'});
				res.end(JSON.stringify({detail: `Not Found ${ALL_HOSTILE}`}));
				return;
			}
			const headers: Record<string, string> = {accept: req.headers.accept ?? '*/*'};
			if (req.headers['content-type']) headers['content-type'] = req.headers['content-type'];
			if (req.headers.authorization) headers.authorization = req.headers.authorization;
			const up = await fetch(`${upstream}${req.url}`, {method: req.method, headers, body: requestBody.length ? requestBody : undefined});
			let body = Buffer.from(await up.arrayBuffer());
			const type = up.headers.get('content-type') ?? 'application/json';
			if (mode === 'hostile' && type.includes('json')) {
				try {
					body = Buffer.from(JSON.stringify(poison(JSON.parse(body.toString('utf8')))));
				} catch {
					// Not JSON after all: passed on as it came.
				}
			}
			res.writeHead(up.status, {'content-type': type});
			res.end(body);
		} catch {
			res.writeHead(502);
			res.end();
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as {port: number}).port;
	return Object.assign(proxy, {
		url: `http://127.0.0.1:${port}`,
		close: async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	});
}
