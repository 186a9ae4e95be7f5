// The hive's faults, each against its own simulator (the /_sim/fault table is per simulator) or a hostile
// proxy in front of one, all at once: killed and back, 500s, a hang, an HTML page, a truncated body,
// garbage, HTTP 200 {error} metrics.
import {afterAll, describe, expect, it} from 'vitest';
import {commonReads, isAvailable, profileRoutes} from '../../source/contract/routes.js';
import type {HiveApp} from '../../source/app/index.js';
import {freePort, startSimulator, type SimulatorService} from '../harness/services.js';
import {simControl} from '../commands/helpers.js';
import {BACK_WITHIN_MS, dataLayer, figures, INTERVAL_MS, printFigures, runFault, startProxy} from './helpers.js';

// Every path a beehive poll reads (the simulator's fault table keys on the path without its query).
const READS = [
	...Object.values(commonReads).map((r) => r.path),
	...Object.values(profileRoutes.beehive)
		.filter((r) => isAvailable(r) && r.method === 'GET')
		.map((r) => (r as {path: string}).path),
]
	.map((p) => p.split('?')[0]!)
	.filter((p, i, all) => all.indexOf(p) === i);

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
	await Promise.allSettled(cleanups.map((c) => c()));
	printFigures('hive');
});

async function simulatorAndApp(port?: number): Promise<{sim: SimulatorService; app: HiveApp}> {
	const sim = await startSimulator({agents: 6, port});
	const app = await dataLayer({hive: sim.url});
	cleanups.push(() => app.close(), () => sim.stop());
	return {sim, app};
}

describe.concurrent('hive faults', () => {
	it('killed and back', async () => {
		const port = await freePort();
		let {sim, app} = await simulatorAndApp(port);
		await runFault({
			app,
			source: 'hive',
			fault: 'hive killed (SIGKILL) and started again',
			inject: async () => {
				sim.process.kill('SIGKILL');
			},
			end: async () => {
				sim = await startSimulator({agents: 6, port});
				cleanups.push(() => sim.stop());
			},
			error: /^hive GET \S+: connection refused; is the hive running at http:\/\/127\.0\.0\.1:\d+\?/,
		});
	});

	it('HTTP 500 on every read', async () => {
		const {sim, app} = await simulatorAndApp();
		const control = simControl(sim.url);
		await runFault({
			app,
			source: 'hive',
			fault: 'HTTP 500 on every read',
			inject: async () => {
				for (const p of READS) await control.fault(p, 'status-500');
			},
			end: () => control.clearFaults(),
			error: /^hive GET \S+: hive error HTTP 500 .*; check the hive's logs/,
		});
	});

	it('every read hangs', async () => {
		const {sim, app} = await simulatorAndApp();
		const control = simControl(sim.url);
		await runFault({
			app,
			source: 'hive',
			fault: 'every read hangs',
			inject: async () => {
				for (const p of READS) await control.fault(p, 'hang');
			},
			end: () => control.clearFaults(),
			error: /^hive GET \S+: no answer within [\d.]+ s from http:\/\/\S+; the hive may be overloaded or hung/,
		});
	});

	it('HTTP 200 {error} metrics: one line naming the metrics text the poll reads, the rest stands, back at once', async () => {
		const {sim, app} = await simulatorAndApp();
		const control = simControl(sim.url);
		await new Promise((r) => setTimeout(r, INTERVAL_MS * 2));
		// One metrics text a poll carries the coordination and agent metrics: the error flag in it is one line.
		await control.fault('/api/dashboard/metrics', 'error-metric');
		const state = () => app.store.getState();
		const failing = await waitForPartial(app, (errors) => errors.length >= 1);
		expect(failing.every((e) => !/[\n\r]/.test(e))).toBe(true);
		expect(failing).toEqual([expect.stringMatching(/^GET \/api\/dashboard\/metrics: the hive reported leanvibe_\w+ /)]);
		// The rest of the hive's data is current: the agents list keeps coming.
		expect(state().snapshots.hive!.agents).not.toBeNull();
		expect(state().sources.hive.state).not.toBe('down');
		await control.clearFaults();
		const ended = Date.now();
		await waitForPartial(app, (errors) => errors.length === 0 && state().snapshots.hive!.at >= ended);
		const backMs = Date.now() - ended;
		figures.push({fault: 'HTTP 200 {error} metrics', backMs, boundMs: BACK_WITHIN_MS});
		expect(backMs).toBeLessThanOrEqual(BACK_WITHIN_MS);
		expect(state().snapshots.hive!.coordination).not.toBeNull();
	});

	for (const [mode, fault, error] of [
		['html', 'an HTML page with HTTP 200', /^hive GET \S+: malformed JSON: "<!DOCTYPE html>.*; is http:\/\/\S+ a hive\?/],
		['truncated', 'bodies cut off mid-way', /^hive GET \S+: connection to http:\/\/\S+ closed mid-request; the hive may be restarting/],
		['garbage', 'garbage bodies', /^hive GET \S+: malformed JSON: .*; is http:\/\/\S+ a hive\?/],
	] as const) {
		it(fault, async () => {
			const sim = await startSimulator({agents: 6});
			const proxy = await startProxy(sim.url);
			const app = await dataLayer({hive: proxy.url});
			cleanups.push(() => app.close(), () => proxy.close(), () => sim.stop());
			await runFault({
				app,
				source: 'hive',
				fault,
				inject: async () => {
					proxy.mode = mode;
				},
				end: async () => {
					proxy.mode = 'pass';
				},
				error,
			});
		});
	}
});

async function waitForPartial(app: HiveApp, done: (errors: string[]) => boolean): Promise<string[]> {
	const deadline = Date.now() + 20_000;
	while (Date.now() < deadline) {
		const errors = app.store.getState().snapshots.hive?.partialErrors ?? [];
		if (done(errors)) return errors;
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error(`partial errors: ${JSON.stringify(app.store.getState().snapshots.hive?.partialErrors)}`);
}
