// The simulator's in-process API: `startSimulator(options)` builds the world, serves both route profiles
// and /_sim, drives the simulated clock, and connects the Redis, PostgreSQL and log bridges. Used by the
// `simulate` and `demo` commands and by tests.
import type {AddressInfo} from 'node:net';
import type {SimContext, StoreHealth} from './context.js';
import {FaultTable} from './faults.js';
import {createHttpServer, Router} from './http-server.js';
import {LogWriter} from './log-writer.js';
import {PostgresBridge} from './postgres-bridge.js';
import {Random} from './random.js';
import {RedisBridge} from './redis-bridge.js';
import {registerBeehiveRoutes} from './routes-beehive.js';
import {registerControlRoutes} from './routes-control.js';
import {registerMonitoringRoutes} from './routes-monitoring.js';
import {registerRunbookRoutes} from './routes-runbook.js';
import {registerSharedRoutes} from './routes-shared.js';
import {SCENARIOS, enterScenario, isScenario, type ScenarioName} from './scenarios.js';
import {DashboardWebSockets} from './websockets.js';
import {World} from './world.js';

export {SCENARIOS, type ScenarioName} from './scenarios.js';
export {World} from './world.js';

export interface SimulatorOptions {
	port?: number;
	host?: string;
	scenario?: string;
	agents?: number;
	/** Simulated seconds per real second; 0 freezes the clock (only /_sim/advance moves it). */
	speed?: number;
	seed?: number;
	redisUrl?: string | null;
	databaseUrl?: string | null;
	logFile?: string | null;
	/** Which route families to serve: a real server has one; 'both' (the default) serves the two at once. */
	profile?: string;
	/** Where non-fatal problems (a log file that cannot be written) are reported; default stderr. */
	onWarning?: (message: string) => void;
}

export interface RunningSimulator {
	url: string;
	world: World;
	context: SimContext;
	close(): Promise<void>;
}

/** Bad options: the command turns this into exit code 64. */
export class SimulatorOptionError extends Error {}

export const SERVED_PROFILES = ['both', 'runbook', 'beehive'] as const;
export type ServedProfile = (typeof SERVED_PROFILES)[number];

export const SIMULATOR_VERSION = '2.0.0-sim';
const TICK_MS = 250;

function validate(options: SimulatorOptions) {
	const scenario = options.scenario ?? 'healthy';
	if (!isScenario(scenario)) throw new SimulatorOptionError(`--scenario: unknown scenario "${scenario}"; choose one of ${SCENARIOS.join(', ')}`);
	const agents = options.agents ?? 8;
	if (!Number.isInteger(agents) || agents < 1 || agents > 100_000) throw new SimulatorOptionError(`--agents: needs a whole number from 1 to 100000 (got ${agents})`);
	const speed = options.speed ?? 1;
	if (!Number.isFinite(speed) || speed < 0 || speed > 100_000) throw new SimulatorOptionError(`--speed: needs a number from 0 to 100000 (got ${speed})`);
	const port = options.port ?? 8000;
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SimulatorOptionError(`--port: needs a port number from 0 to 65535 (got ${port})`);
	const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
	if (!Number.isFinite(seed)) throw new SimulatorOptionError(`--seed: needs a number (got ${seed})`);
	for (const [flag, url, schemes] of [
		['--redis', options.redisUrl, ['redis:', 'rediss:']],
		['--database', options.databaseUrl, ['postgres:', 'postgresql:']],
	] as const) {
		if (!url) continue;
		let protocol = '';
		try {
			protocol = new URL(url).protocol;
		} catch {
			throw new SimulatorOptionError(`${flag}: not a URL; expected ${schemes[0]}//host:port/...`);
		}
		if (!(schemes as readonly string[]).includes(protocol)) throw new SimulatorOptionError(`${flag}: expected a ${schemes.join(' or ')} URL, got ${protocol}`);
	}
	const profile = options.profile ?? 'both';
	if (!(SERVED_PROFILES as readonly string[]).includes(profile)) throw new SimulatorOptionError(`--profile: unknown profile "${profile}"; choose one of ${SERVED_PROFILES.join(', ')}`);
	return {scenario: scenario as ScenarioName, agents, speed, port, seed, host: options.host ?? '127.0.0.1', profile: profile as ServedProfile};
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
	const v = validate(options);
	const warn = options.onWarning ?? ((message: string) => process.stderr.write(message + '\n'));
	const world = new World({agents: v.agents, seed: v.seed});
	world.outputs.bus = !!options.redisUrl;
	world.outputs.database = !!options.databaseUrl;
	world.outputs.logs = !!options.logFile;
	const store = (configured: boolean): StoreHealth => ({configured, healthy: false, lastError: configured ? 'not connected yet' : null, responseMs: null});
	let redisBridge: RedisBridge | null = null;
	const ctx: SimContext = {
		world,
		scenario: v.scenario,
		version: SIMULATOR_VERSION,
		startedAt: Date.now(),
		redis: store(!!options.redisUrl),
		database: store(!!options.databaseUrl),
		faults: new FaultTable(),
		auth: {token: null},
		healthMode: 'full',
		labelRandom: new Random(v.seed + 1),
		flakyRandom: new Random(v.seed + 2),
		setScenario(name, backdate) {
			ctx.scenario = name;
			enterScenario(world, name, backdate);
		},
		serverStats: () => ({open_connections: 0, hanging_requests: 0, pending_timers: 0}),
		refreshRedis() {
			redisBridge?.refresh();
		},
		config: {speed: v.speed, seed: v.seed, profile: v.profile, agents: v.agents, redisUrl: options.redisUrl ?? null, databaseUrl: options.databaseUrl ?? null, logFile: options.logFile ?? null},
	};
	enterScenario(world, v.scenario, true);

	const router = new Router();
	registerSharedRoutes(router);
	if (v.profile !== 'beehive') registerRunbookRoutes(router);
	// The shipped server's monitoring routes and dashboard WebSockets belong to its route family.
	const websockets = v.profile !== 'runbook' ? new DashboardWebSockets(ctx) : null;
	if (v.profile !== 'runbook') {
		registerBeehiveRoutes(router);
		registerMonitoringRoutes(router);
		websockets!.registerRoutes(router);
	}
	registerControlRoutes(router);
	const http = createHttpServer(router, ctx, websockets ? (req, socket, head) => websockets.upgrade(req, socket, head) : null);
	await new Promise<void>((resolve, reject) => {
		http.server.once('error', reject);
		http.server.listen(v.port, v.host, () => {
			http.server.off('error', reject);
			resolve();
		});
	});
	const address = http.server.address() as AddressInfo;
	const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

	const bridges: Array<{close(): Promise<void>}> = [];
	if (options.redisUrl) {
		redisBridge = new RedisBridge(options.redisUrl, world, ctx.redis);
		bridges.push(redisBridge);
		await redisBridge.start();
	}
	if (options.databaseUrl) {
		const pgBridge = new PostgresBridge(options.databaseUrl, world, ctx.database);
		bridges.push(pgBridge);
		await pgBridge.start();
	}
	if (options.logFile) {
		const logWriter = new LogWriter(options.logFile, world, warn);
		bridges.push(logWriter);
		await logWriter.start();
	}

	// The clock: real time times --speed, in steps small enough that nothing is skipped.
	let last = performance.now();
	const clock = setInterval(() => {
		const now = performance.now();
		const elapsed = now - last;
		last = now;
		if (v.speed > 0) world.advance(elapsed * v.speed);
	}, TICK_MS);

	let closing: Promise<void> | null = null;
	return {
		url: `http://${host}:${address.port}`,
		world,
		context: ctx,
		close: () =>
			(closing ??= (async () => {
				clearInterval(clock);
				websockets?.close();
				await http.close();
				for (const bridge of bridges) await bridge.close();
			})()),
	};
}
