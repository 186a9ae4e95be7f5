// The console following the hive's dashboard WebSocket, against the real simulator: the socket goes live on
// the shipped server's profile, a scenario switch there reaches the store within a second although the full
// read is ten seconds away, the hive is read less often while the socket is live, a token is sent and a
// wrong one is refused, the runbook profile (no WebSockets) stays on plain polling, and a socket that drops
// brings the interval back.
import {afterEach, describe, expect, it} from 'vitest';
import {createHiveApp, type HiveApp} from '../../source/app/create.js';
import {followHiveSocket, LIVE_FULL_READ_MS} from '../../source/app/live-updates.js';
import {resolveConfig} from '../../source/config/resolve.js';
import {openHiveSocket, socketUrl, type SocketState} from '../../source/sources/hive-socket.js';
import {startSimulator, type RunningSimulator} from '../../source/simulator/index.js';
import {selectAssessment} from '../../source/model/select.js';

let sim: RunningSimulator | null = null;
let app: HiveApp | null = null;
const stops: Array<() => void> = [];
afterEach(async () => {
	stops.splice(0).forEach((stop) => stop());
	await app?.close();
	app = null;
	await sim?.close();
	sim = null;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(20);
	}
}

async function sim2(profile: 'beehive' | 'runbook', scenario = 'healthy'): Promise<RunningSimulator> {
	sim = await startSimulator({port: 0, agents: 6, scenario, speed: 0, seed: 3, profile, onWarning: () => undefined});
	return sim;
}

function watch(baseUrl: string, token: string | null = null) {
	const states: SocketState[] = [];
	const signals: string[] = [];
	const socket = openHiveSocket({baseUrl, token, retryMinMs: 100, onSignal: (s) => signals.push(s), onState: (s) => states.push(s)});
	stops.push(() => socket.close());
	return {states, signals};
}

describe('the hive WebSocket', () => {
	it('derives ws:// or wss:// under the base URL path', () => {
		expect(socketUrl('http://hive:8000')).toBe('ws://hive:8000/api/dashboard/ws/dashboard?subscriptions=agents,coordination,tasks,system,alerts');
		expect(socketUrl('https://ops.example/hive/')).toMatch(/^wss:\/\/ops\.example\/hive\/api\/dashboard\/ws\/dashboard\?/);
	});

	it('goes live on the shipped server profile and signals a scenario switch as an event', async () => {
		const s = await sim2('beehive');
		const w = watch(s.url);
		await until('live', () => w.states.some((x) => x.kind === 'live'));
		const switched = Date.now();
		await fetch(`${s.url}/_sim/scenario`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({name: 'coordination-critical', backdate: true})});
		await until('the system event', () => w.signals.includes('system_event'));
		expect(Date.now() - switched).toBeLessThan(1000);
	});

	it('sends the token; a wrong one is refused and polling stays as it was', async () => {
		const s = await sim2('beehive');
		await fetch(`${s.url}/_sim/auth`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({token: 'sekrit-token-123'})});
		const right = watch(s.url, 'sekrit-token-123');
		await until('live with the token', () => right.states.some((x) => x.kind === 'live'));
		const wrong = watch(s.url, 'not-the-token');
		const refused = await until('refused', () => wrong.states.find((x) => x.kind === 'unavailable'));
		expect(refused.kind === 'unavailable' && refused.error).toMatch(/HTTP 403/);
		expect(JSON.stringify(wrong.states)).not.toContain('not-the-token');
	});

	it('a hive without WebSockets (runbook profile) is polled as before, asked again only minutes later', async () => {
		const s = await sim2('runbook');
		const w = watch(s.url);
		const state = await until('unavailable', () => w.states.find((x) => x.kind === 'unavailable'));
		expect(state.kind === 'unavailable' && state.retryInMs).toBeGreaterThanOrEqual(60_000);
	});
});

describe('the console data layer with the WebSocket', () => {
	it('reads the full bodies less often while live, and puts a scenario switch in the store within a second', {timeout: 30_000}, async () => {
		const s = await sim2('beehive');
		const config = await resolveConfig({hive: s.url, interval: 2, apiProfile: 'beehive'}, {HOME: '/nonexistent'});
		app = createHiveApp(config, {include: ['hive']});
		stops.push(followHiveSocket(app, {retryMinMs: 100}));
		app.poller.start();
		const store = app.store;
		await until('the hive read less often while live', () => store.getState().sources.hive.pushedBy && store.getState().sources.hive.intervalMs === LIVE_FULL_READ_MS);
		await until('a first read', () => store.getState().snapshots.hive);
		expect(selectAssessment(store.getState(), Date.now())?.overall).toBe('healthy');
		await fetch(`${s.url}/_sim/scenario`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({name: 'coordination-critical', backdate: true})});
		const switched = Date.now();
		await until('critical in the store', () => selectAssessment(store.getState(), Date.now())?.overall === 'critical', 3000);
		// The next full read was up to 10 s away: the pushed event read it at once.
		expect(Date.now() - switched).toBeLessThan(1000);
	});

	it('opens only once the first read of the hive has settled, so the console draws before loading the client', {timeout: 30_000}, async () => {
		const s = await sim2('beehive');
		const config = await resolveConfig({hive: s.url, interval: 2, apiProfile: 'beehive'}, {HOME: '/nonexistent'});
		app = createHiveApp(config, {include: ['hive']});
		const states: Array<{kind: string; at: number}> = [];
		stops.push(followHiveSocket(app, {retryMinMs: 100, onState: (x) => states.push({kind: x.kind, at: Date.now()})}));
		await new Promise((r) => setTimeout(r, 600));
		expect(states).toEqual([]);
		let firstRead: number | null = null;
		const unsubscribe = app.store.subscribe((state) => (firstRead ??= state.sources.hive.lastAttemptAt));
		app.poller.start();
		await until('live', () => app!.store.getState().sources.hive.pushedBy);
		unsubscribe();
		expect(states[0]!.kind).toBe('connecting');
		expect(firstRead).not.toBeNull();
		expect(states[0]!.at).toBeGreaterThanOrEqual(firstRead!);
	});

	it('when the socket drops, the hive is read at its interval again', {timeout: 30_000}, async () => {
		const s = await sim2('beehive');
		const config = await resolveConfig({hive: s.url, interval: 2, apiProfile: 'beehive'}, {HOME: '/nonexistent'});
		app = createHiveApp(config, {include: ['hive']});
		const states: SocketState[] = [];
		stops.push(followHiveSocket(app, {retryMinMs: 100, onState: (x) => states.push(x)}));
		app.poller.start();
		await until('live', () => app!.store.getState().sources.hive.pushedBy);
		await s.close();
		sim = null;
		await until('back to the interval', () => !app!.store.getState().sources.hive.pushedBy && app!.store.getState().sources.hive.intervalMs === 2000);
		expect(states.some((x) => x.kind === 'down')).toBe(true);
	});
});
