// `simulate --profile runbook|beehive` serves one route family, like a real server, so the console's
// `--api-profile auto` detection can be tested end to end; the other family 404s. Driven by the route
// table in source/contract/routes.ts, so a route added there is checked here without editing this file.
import {spawnSync} from 'node:child_process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {commonReads, fillPath, isAvailable, profileRoutes, type Route} from '../../source/contract/routes.js';
import {binPath, startSimulator, type SimulatorService} from '../harness/services.js';

const ZERO_ID = '00000000-0000-0000-0000-000000000000';
const profiles = ['runbook', 'beehive'] as const;
const sims: Partial<Record<(typeof profiles)[number], SimulatorService>> = {};

beforeAll(async () => {
	for (const profile of profiles) sims[profile] = await startSimulator({agents: 3, speed: 0, profile, args: ['--seed', '4']});
});
afterAll(async () => {
	for (const sim of Object.values(sims)) await sim?.stop();
});

/** Calls a route with a throwaway id and no side effect worth having; returns only the status. */
async function statusOf(base: string, route: Route): Promise<number> {
	const path = fillPath(route.path, {id: ZERO_ID});
	const res = await fetch(base + path, {method: route.method, headers: {'content-type': 'application/json'}, body: route.method === 'GET' ? undefined : '{}'});
	await res.arrayBuffer();
	return res.status;
}

describe('one route family at a time', () => {
	for (const profile of profiles) {
		const other = profile === 'runbook' ? 'beehive' : 'runbook';
		it(`--profile ${profile}: its own routes and the shared reads answer; ${other}-only routes 404`, async () => {
			const base = sims[profile]!.url;
			const own = Object.values(profileRoutes[profile]).filter(isAvailable);
			const ownKeys = new Set(own.map((r) => `${r.method} ${r.path.split('?')[0]}`));
			for (const route of [...own, ...Object.values(commonReads)]) {
				// 404 is allowed only as the hive's "not found" for the throwaway id, never "Not Found" for the path.
				const res = await fetch(base + fillPath(route.path, {id: ZERO_ID}), {method: route.method, headers: {'content-type': 'application/json'}, body: route.method === 'GET' ? undefined : '{}'});
				const body = await res.text();
				expect(body, `${route.method} ${route.path}`).not.toBe('{"detail":"Not Found"}');
			}
			const foreign = Object.values(profileRoutes[other]).filter(isAvailable).filter((r) => !ownKeys.has(`${r.method} ${r.path.split('?')[0]}`));
			expect(foreign.length).toBeGreaterThan(5);
			for (const route of foreign) expect(await statusOf(base, route), `${route.method} ${route.path}`).toBe(404);
			expect(((await (await fetch(`${base}/_sim/state`)).json()) as {config: {profile: string}}).config.profile).toBe(profile);
		});

		it(`the console's --api-profile auto detects ${profile}`, () => {
			const r = spawnSync(process.execPath, [binPath, 'status', '--json', '--hive', sims[profile]!.url, '--api-profile', 'auto'], {encoding: 'utf8', env: {...process.env, HIVE_URL: '', REDIS_URL: '', DATABASE_URL: '', HIVE_TOKEN: ''}, timeout: 30_000});
			expect(JSON.parse(r.stdout).profile, r.stderr).toBe(profile);
		});
	}

	it('an unknown --profile exits 64 naming the choices', () => {
		const r = spawnSync(process.execPath, [binPath, 'simulate', '--port', '0', '--profile', 'fastapi'], {encoding: 'utf8'});
		expect(r.status).toBe(64);
		expect(r.stderr).toContain('--profile: unknown profile "fastapi"; choose one of both, runbook, beehive');
	});
});
