// What the routes see of a running simulator: the world, the stores' health as the bridges last saw it,
// the injected faults and the auth switch. index.ts builds it; routes only read it and call actions.
import type {FaultTable} from './faults.js';
import type {ServerStats} from './http-server.js';
import type {Random} from './random.js';
import type {ScenarioName} from './scenarios.js';
import type {World} from './world.js';

export interface StoreHealth {
	configured: boolean;
	healthy: boolean;
	/** Redacted, one line. */
	lastError: string | null;
	/** Round trip of the last probe; null when it failed or never ran. */
	responseMs: number | null;
}

export interface SimContext {
	world: World;
	scenario: ScenarioName;
	version: string;
	startedAt: number;
	redis: StoreHealth;
	database: StoreHealth;
	faults: FaultTable;
	auth: {token: string | null};
	/** 'minimal' answers /health as a minimal deployment does: {status, version, ci: true}. */
	healthMode: 'full' | 'minimal';
	/** Shuffles Prometheus samples; separate from the world's so reads never change the world. */
	labelRandom: Random;
	/** Picks which requests the flaky-api scenario spoils. */
	flakyRandom: Random;
	setScenario(name: ScenarioName, backdate: boolean): void;
	/** The Redis pool refresh action: the bridge really reconnects. */
	refreshRedis(): void;
	/** Set by the HTTP server: the sockets, hung requests and timers it holds right now. */
	serverStats(): ServerStats;
	config: {speed: number; seed: number; profile: 'both' | 'runbook' | 'beehive'; agents: number; redisUrl: string | null; databaseUrl: string | null; logFile: string | null};
}
