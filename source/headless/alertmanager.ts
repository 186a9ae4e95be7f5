// Posting the daily check's alert to Alertmanager's v2 API (v1 is gone since 0.27), and the
// small state file that remembers whether it fired, so "resolved" is sent exactly once after a firing.
import {mkdir, readFile, rename, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {describeError, redactUrl, registerSecret} from '../util/redact.js';

export interface AlertPayload {
	labels: Record<string, string>;
	annotations: {summary: string; description: string};
	startsAt: string;
	endsAt?: string;
	generatorURL?: string;
}

/**
 * Resolves when Alertmanager took the alerts: a 2xx with its empty or JSON body. Throws a one-line,
 * redacted message naming Alertmanager and what went wrong otherwise (an HTML page on 200 included).
 */
export async function postAlerts(baseUrl: string, alerts: AlertPayload[], timeoutMs = 5000): Promise<void> {
	const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
	const url = new URL('api/v2/alerts', base);
	const where = `Alertmanager POST ${redactUrl(url.toString())}`;
	// fetch refuses a URL with credentials in it; an Alertmanager behind basic auth (a reverse proxy, or
	// its own web config) gets them as a header instead.
	const headers: Record<string, string> = {'content-type': 'application/json'};
	if (url.username || url.password) {
		const user = decodeURIComponent(url.username);
		const password = decodeURIComponent(url.password);
		registerSecret(password);
		headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
		url.username = '';
		url.password = '';
	}
	let response: Response;
	try {
		response = await fetch(url, {
			method: 'POST',
			headers,
			body: JSON.stringify(alerts),
			signal: AbortSignal.timeout(timeoutMs),
		});
	} catch (error) {
		const cause = (error as {cause?: {code?: string}}).cause;
		if (cause?.code === 'ECONNREFUSED') throw new Error(`${where}: connection refused; is Alertmanager running there (--alertmanager / ALERTMANAGER_URL)?`);
		if ((error as Error).name === 'TimeoutError') throw new Error(`${where}: no answer within ${timeoutMs / 1000} s`);
		throw new Error(`${where}: ${describeError(cause ?? error)}`);
	}
	// Read at most a bounded piece: an Alertmanager answers this POST with an empty body (0.25) or a short
	// JSON one; anything big is not Alertmanager.
	const body = await boundedText(response, 64 * 1024);
	if (!response.ok) {
		const hint =
			response.status === 410
				? ' (this Alertmanager does not offer the v2 API?)'
				: response.status === 401 || response.status === 403
					? ' (check the user and password in --alertmanager / ALERTMANAGER_URL)'
					: '';
		throw new Error(`${where}: HTTP ${response.status}${hint}${body ? `: ${describeError(body.slice(0, 300))}` : ''}`);
	}
	// A 2xx is a delivery only when it is Alertmanager answering: a login page, a captive portal or a
	// catch-all web server in front of the wrong port answers 200 with an HTML page and keeps nothing.
	const type = (response.headers.get('content-type') ?? '').toLowerCase();
	const trimmed = body.trim();
	const notAlertmanager = (what: string) =>
		new Error(`${where}: HTTP ${response.status} with ${what}, not Alertmanager's answer; check that --alertmanager / ALERTMANAGER_URL points at Alertmanager itself`);
	if (type.includes('html') || trimmed.startsWith('<')) throw notAlertmanager('an HTML page');
	if (trimmed !== '' && !isJson(trimmed)) throw notAlertmanager(`a body that is not JSON (${type || 'no content type'})`);
	if (trimmed !== '' && type !== '' && !type.includes('json') && !type.startsWith('text/plain')) throw notAlertmanager(`content type ${type}`);
}

function isJson(text: string): boolean {
	try {
		JSON.parse(text);
		return true;
	} catch {
		return false;
	}
}

/** The body as text, at most `limit` bytes of it (the rest is cancelled unread). */
async function boundedText(response: Response, limit: number): Promise<string> {
	if (!response.body) return '';
	const reader = response.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	try {
		while (size < limit) {
			const {done, value} = await reader.read();
			if (done) break;
			chunks.push(value);
			size += value.byteLength;
		}
	} catch {
		// A body cut off mid-way: judge what arrived.
	} finally {
		await reader.cancel().catch(() => undefined);
	}
	return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

export interface CheckState {
	firing: boolean;
	/** When the current firing began (kept so Alertmanager sees one alert, not a new one each run). */
	since: string | null;
	summary: string | null;
}

type StateFile = Record<string, CheckState>;

export async function readCheckState(file: string, key: string): Promise<CheckState> {
	try {
		const parsed = JSON.parse(await readFile(file, 'utf8')) as StateFile;
		const entry = parsed[key];
		if (entry && typeof entry.firing === 'boolean') return entry;
	} catch {
		// Missing or unreadable: treat as not firing (the alert's endsAt bounds a forgotten firing).
	}
	return {firing: false, since: null, summary: null};
}

export async function writeCheckState(file: string, key: string, state: CheckState): Promise<void> {
	let all: StateFile = {};
	try {
		all = JSON.parse(await readFile(file, 'utf8')) as StateFile;
	} catch {
		all = {};
	}
	all[key] = state;
	await mkdir(path.dirname(file), {recursive: true});
	const temp = `${file}.${process.pid}.tmp`;
	await writeFile(temp, JSON.stringify(all, null, 2) + '\n');
	await rename(temp, file);
}
