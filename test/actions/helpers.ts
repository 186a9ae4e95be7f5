// Shared setup for the action tests: a real redis-server and PostgreSQL, an in-process simulator on them
// (clock frozen: only /_sim/advance moves it, so nothing depends on real waits), and an action session
// built the way the commands build it (resolveConfig → sources → gate).
import {Redis} from 'ioredis';
import {mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {startPostgres, startRedis, type PostgresService, type RedisService} from '../harness/services.js';
import {startSimulator, type RunningSimulator} from '../../source/simulator/index.js';
import {resolveConfig} from '../../source/config/index.js';
import {openActionSession, type ActionSession} from '../../source/actions/session.js';
import type {ActionTarget} from '../../source/actions/types.js';
import type {ActionRun} from '../../source/actions/history.js';
import type {ConfirmationAnswer, RunHandle} from '../../source/actions/gate.js';

export interface Services {
	redis: RedisService;
	pg: PostgresService;
	client: Redis;
	dir: string;
	cleanup(): Promise<void>;
}

export async function startServices(): Promise<Services> {
	const [redis, pg] = await Promise.all([startRedis(), startPostgres()]);
	const client = new Redis(redis.url, {maxRetriesPerRequest: 1});
	const dir = mkdtempSync(path.join(os.tmpdir(), 'hive-actions-'));
	return {
		redis,
		pg,
		client,
		dir,
		cleanup: async () => {
			client.disconnect();
			await Promise.allSettled([redis.cleanup(), pg.cleanup()]);
		},
	};
}

export async function startSim(services: Services, scenario = 'healthy', agents = 8): Promise<RunningSimulator> {
	await services.client.flushall();
	return startSimulator({
		port: 0,
		scenario,
		agents,
		speed: 0,
		seed: 11,
		redisUrl: services.redis.url,
		databaseUrl: await services.pg.createDatabase(),
		onWarning: () => undefined,
	});
}

export async function simState(url: string): Promise<any> {
	const res = await fetch(`${url}/_sim/state`);
	return res.json();
}

export async function advance(url: string, seconds: number): Promise<void> {
	const res = await fetch(`${url}/_sim/advance`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({seconds})});
	if (!res.ok) throw new Error(`advance failed: ${res.status}`);
	await res.text();
}

export async function setFault(url: string, fault: {path: string; mode: string; count?: number}): Promise<void> {
	const res = await fetch(`${url}/_sim/fault`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(fault)});
	if (!res.ok) throw new Error(`fault failed: ${res.status} ${await res.text()}`);
}

export async function openSession(simUrl: string, profile: 'runbook' | 'beehive', services: Services, auditLog: string, readOnly = false): Promise<ActionSession> {
	const config = await resolveConfig({hive: simUrl, redis: services.redis.url, apiProfile: profile, auditLog}, {});
	return openActionSession(config, {readOnly: {on: readOnly, reason: '--read-only'}, gate: {effectPollMs: 50, effectTimeoutMs: 20_000}});
}

/** Moves the simulated clock on while a run is pending, so effects that take simulated time can show. */
export async function drive(simUrl: string, handle: RunHandle, stepSeconds = 5): Promise<ActionRun> {
	let finished = false;
	const done = handle.done.finally(() => {
		finished = true;
	});
	while (!finished) {
		await Promise.race([done, new Promise((r) => setTimeout(r, 100))]);
		if (!finished) {
			handle.skipWait();
			await advance(simUrl, stepSeconds);
		}
	}
	return done;
}

export async function prepareAndStart(
	session: ActionSession,
	id: string,
	options: {targets?: ActionTarget[]; inputs?: Record<string, unknown>; answer?: ConfirmationAnswer} = {},
): Promise<RunHandle> {
	const prep = await session.gate.prepare(id, options.targets, options.inputs ?? {});
	if (!prep.ok) throw new Error(`prepare ${id}: ${prep.reason}`);
	const confirmed = session.gate.confirm(prep.prepared, options.answer ?? {kind: 'flag-yes'});
	if (!confirmed.ok) throw new Error(`confirm ${id}: ${confirmed.reason}`);
	return session.gate.start(prep.prepared, confirmed.token);
}
