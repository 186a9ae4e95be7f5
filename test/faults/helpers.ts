// The fault suite's driver: the console's data layer (createHiveApp, its poller and store) against real
// services at a 1 s interval, one fault at a time per data layer, and the three things every fault must
// show (README, Development, "Fault suite"): the last good data kept with its age, exactly one line of
// error naming the source, the endpoint and what to do, and the source back within two poll intervals
// once the fault ends.
import {expect} from 'vitest';
import http from 'node:http';
import {mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {createHiveApp, type HiveApp} from '../../source/app/index.js';
import {resolveConfig} from '../../source/config/index.js';
import type {PolledSource} from '../../source/poller/index.js';
import type {SourceName, SourceStatus} from '../../source/contract/snapshot.js';
import {freshness} from '../../source/ui/freshness.js';
import {waitFor} from '../harness/services.js';

export const INTERVAL_MS = 1000;
/** "Back within two poll intervals", with a second of margin for a busy 2-core machine. */
export const BACK_WITHIN_MS = 2 * INTERVAL_MS + 1000;

/** Time to come back per fault, printed at the end of each file for the README's table. */
export const figures: Array<{fault: string; backMs: number; boundMs: number; error?: string}> = [];

export function printFigures(file: string): void {
	for (const f of figures) console.log(`fault figure [${file}] ${f.fault}: back in ${f.backMs} ms (bound ${f.boundMs} ms)${f.error ? `; error: ${f.error}` : ''}`);
}

export async function dataLayer(flags: {hive: string; redis?: string; database?: string}, extraSources: PolledSource[] = []): Promise<HiveApp> {
	const home = mkdtempSync(path.join(os.tmpdir(), 'hive-faults-'));
	const config = await resolveConfig({...flags, interval: INTERVAL_MS / 1000}, {HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_STATE_HOME: path.join(home, 'state')});
	const app = createHiveApp(config, {extraSources});
	app.poller.start();
	return app;
}

const FAILING = new Set(['down', 'unauthorised', 'misconfigured']);
const good = (s: SourceStatus) => s.state === 'ok' || s.state === 'slow';

export interface FaultCase {
	app: HiveApp;
	source: SourceName;
	/** Name for the figures. */
	fault: string;
	inject(): Promise<void>;
	/** Ends the fault; resolves when it has ended (a service listening again). */
	end(): Promise<void>;
	/** What the one error line must say: the endpoint, the failure, what to do. */
	error: RegExp;
	/** The source's own interval (PostgreSQL is polled every second interval). */
	intervalMs?: number;
	/** Checks on the data layer while the fault lasts, after the standard ones. */
	during?(app: HiveApp): void | Promise<void>;
}

/** One fault from good data to good data again, with the suite's three assertions. */
export async function runFault(c: FaultCase): Promise<{error: string; backMs: number}> {
	const interval = c.intervalMs ?? INTERVAL_MS;
	const state = () => c.app.store.getState();
	await waitFor(`${c.source}: good data before the fault`, async () => (good(state().sources[c.source]) && state().snapshots[c.source] ? true : undefined), 30_000);
	await c.inject();
	const failing = await waitFor(`${c.source}: the fault seen (${c.fault})`, async () => (FAILING.has(state().sources[c.source].state) ? state().sources[c.source] : undefined), 20_000);

	// Exactly one line, naming the source, the endpoint and what to do.
	const error = failing.lastError ?? '';
	expect(error, 'one line').not.toMatch(/[\n\r]/);
	expect(error.startsWith(c.source), `"${error}" names ${c.source}`).toBe(true);
	expect(error).toMatch(c.error);

	// The freshness line says so at once: never "updated N s ago" for a failing source.
	const first = freshness(failing, Date.now(), false);
	expect(first.kind).toBe('failing');
	expect(first.text).toMatch(/^\w+ · retry in \d+ s · last good data \d+ s ago$/);

	// The last good data stays, with its age: the snapshot of the last good poll, untouched by failed ones.
	const kept = state().snapshots[c.source];
	expect(kept, 'last good data kept').not.toBeNull();
	const lastGood = failing.lastSuccessAt!;
	expect(lastGood).not.toBeNull();
	await new Promise((r) => setTimeout(r, interval + 200));
	const still = state().sources[c.source];
	if (FAILING.has(still.state)) {
		expect(state().snapshots[c.source], 'the same snapshot while failing').toBe(kept);
		expect(still.lastSuccessAt).toBe(lastGood);
		const line = freshness(still, Date.now(), false);
		expect(line.kind).toBe('failing');
		expect(line.text).toMatch(/last good data \d+ s ago$/);
		expect(line.text).not.toMatch(/updated/);
	}
	await c.during?.(c.app);

	await c.end();
	const ended = Date.now();
	await waitFor(`${c.source}: back after ${c.fault}`, async () => {
		const s = state().sources[c.source];
		return good(s) && (s.lastSuccessAt ?? 0) >= ended ? true : undefined;
	}, 20_000);
	const backMs = Date.now() - ended;
	const bound = 2 * interval + 1000;
	figures.push({fault: c.fault, backMs, boundMs: bound, error});
	expect(backMs, `${c.fault}: back within two intervals (+1 s)`).toBeLessThanOrEqual(bound);
	expect(state().snapshots[c.source]).not.toBe(kept);
	return {error, backMs};
}

export type ProxyMode = 'pass' | 'html' | 'truncated' | 'garbage' | 'huge';

/**
 * A hostile middlebox in front of the simulator, for what its /_sim/fault modes cannot send: an HTML error
 * page with 200, a body cut off mid-way, random bytes, a 1 MB body (the largest the client reads).
 */
export async function startProxy(upstream: string): Promise<{url: string; mode: ProxyMode; close(): Promise<void>}> {
	const proxy = {mode: 'pass' as ProxyMode};
	const server = http.createServer(async (req, res) => {
		req.resume();
		const mode = proxy.mode;
		if (mode === 'html') {
			res.writeHead(200, {'content-type': 'text/html'});
			res.end('<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>');
			return;
		}
		if (mode === 'garbage') {
			res.writeHead(200, {'content-type': req.url?.includes('metrics') ? 'text/plain' : 'application/json'});
			res.end(Buffer.from(Array.from({length: 2048}, (_, i) => (i * 7919 + 13) % 256)));
			return;
		}
		if (mode === 'huge') {
			res.writeHead(200, {'content-type': 'application/json'});
			res.end(`{"agents": [${'"x",'.repeat(262_000)}"x"]}`);
			return;
		}
		try {
			const upstreamRes = await fetch(`${upstream}${req.url}`, {headers: {accept: req.headers.accept ?? '*/*'}});
			const body = Buffer.from(await upstreamRes.arrayBuffer());
			const type = upstreamRes.headers.get('content-type') ?? 'application/json';
			if (mode === 'truncated') {
				// Promise the whole body, send half, hang up.
				res.writeHead(upstreamRes.status, {'content-type': type, 'content-length': String(body.length)});
				res.write(body.subarray(0, Math.max(1, Math.floor(body.length / 2))));
				setTimeout(() => res.socket?.destroy(), 20);
				return;
			}
			res.writeHead(upstreamRes.status, {'content-type': type});
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
