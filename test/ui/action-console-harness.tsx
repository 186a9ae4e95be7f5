// Mounts the console with its actions over a real simulator (and real Redis), wired the way run-console.tsx
// wires it: the data layer's sources feed both the store and the ActionEnv, the gate writes a real audit log.
// The poller is not started: tests read the hive once (refresh()) so frames do not move under them.
import path from 'node:path';
import React from 'react';
import {readAuditLog, readOnlyModeOf, type Gate} from '../../source/actions/index.js';
import {createConsoleIncident, createHiveApp, type ConsoleIncident, type HiveApp} from '../../source/app/index.js';
import {resolveConfig} from '../../source/config/index.js';
import {ActionConsole} from '../../source/ui/actions/action-console.js';
import {actionBindings} from '../../source/ui/actions/action-keys.js';
import {consoleActionSources} from '../../source/app/index.js';
import type {Clipboard} from '../../source/ui/clipboard.js';
import type {PaletteHistory} from '../../source/app/palette-history.js';
import {ActionController} from '../../source/ui/actions/controller.js';
import {buildKeymap} from '../../source/ui/keymap.js';
import type {PaneId} from '../../source/ui/layout.js';
import {stripSgr} from './harness.js';
import {renderAt, tick, type Rendered} from './render-console.js';
import {afterAll, afterEach, beforeAll} from 'vitest';
import type {RunningSimulator} from '../../source/simulator/index.js';
import {startServices, type Services} from '../actions/helpers.js';

export interface MountedActions {
	r: Rendered;
	gate: Gate;
	app: HiveApp;
	controller: ActionController;
	incident: ConsoleIncident;
	frame(): string;
	waitFor(what: string | RegExp, timeoutMs?: number): Promise<string>;
	refresh(): Promise<void>;
	audit(): Promise<string[]>;
	close(): Promise<void>;
}

export async function mountActions(options: {hiveUrl: string; redisUrl?: string; profile: 'runbook' | 'beehive'; auditLog: string; readOnly?: boolean; focused?: PaneId; columns?: number; rows?: number; setIntervalMs?: (ms: number) => void; clipboard?: Clipboard; paletteHistory?: PaletteHistory}): Promise<MountedActions> {
	// The state directory (timeline, snapshots) beside the test's audit log.
	const config = await resolveConfig({hive: options.hiveUrl, redis: options.redisUrl, apiProfile: options.profile, auditLog: options.auditLog, readOnly: options.readOnly}, {XDG_STATE_HOME: path.join(path.dirname(options.auditLog), `state-${path.basename(options.auditLog)}`)});
	const app = createHiveApp(config, {include: ['hive', 'redis']});
	const incident = createConsoleIncident(app, {context: 'ui-test'});
	await incident.recorder.start();
	await app.poller.refreshNow();
	const readOnly = readOnlyModeOf(config, options.readOnly === true);
	const sources = consoleActionSources(app, {contextName: 'ui-test', readOnly, gate: {effectPollMs: 50, effectTimeoutMs: 20_000}});
	const controller = new ActionController({...sources, incident: incident.tools, clipboard: options.clipboard});
	incident.followGate(sources.gate);
	incident.followPlaybooks(controller.store);
	await controller.refreshAvailability();
	const gate = controller.currentGate!;
	const columns = options.columns ?? 120;
	const rows = options.rows ?? 40;
	const r = renderAt(
		<ActionConsole
			controller={controller}
			config={config}
			readOnly={readOnly}
			store={app.store}
			controls={{pause() {}, resume() {}, refreshNow() {}, setIntervalMs: options.setIntervalMs ?? (() => undefined)}}
			header={{contextName: 'ui-test', environment: null, hiveUrl: options.hiveUrl}}
			theme={{color: false, ascii: false}}
			keymap={buildKeymap({}, actionBindings())}
			onQuit={() => undefined}
			size={{columns, rows}}
			initialView={{focused: options.focused ?? 'metrics'}}
			clipboard={options.clipboard}
			paletteHistory={options.paletteHistory}
		/>,
		columns,
		rows,
	);
	const frame = () => stripSgr(r.lastFrame());
	return {
		r,
		gate,
		app,
		controller,
		incident,
		frame,
		async waitFor(what, timeoutMs = 15_000) {
			const deadline = Date.now() + timeoutMs;
			const hit = (f: string) => (typeof what === 'string' ? f.includes(what) : what.test(f));
			while (!hit(frame())) {
				if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(what)}; the frame was:\n${frame()}`);
				await tick(20);
			}
			return frame();
		},
		async refresh() {
			await app.poller.refreshNow();
			await tick(300);
		},
		async audit() {
			const {entries} = await readAuditLog(options.auditLog).catch(() => ({entries: []}));
			return entries.map((e) => `${e.action}:${e.phase}:${e.result}`);
		},
		async close() {
			r.unmount();
			controller.dispose();
			await incident.close();
			await app.close();
		},
	};
}

/**
 * The hooks of a console test against real services: Redis (and the rest) started once for the file, and
 * whatever simulator and console a test puts in `sim` and `mounted` closed after it.
 */
export function consoleTestServices(): {services: Services; sim: RunningSimulator | null; mounted: MountedActions | null} {
	const held = {services: null as unknown as Services, sim: null as RunningSimulator | null, mounted: null as MountedActions | null};
	beforeAll(async () => {
		held.services = await startServices();
	}, 60_000);
	afterAll(async () => {
		await held.services?.cleanup();
	});
	afterEach(async () => {
		await held.mounted?.close();
		held.mounted = null;
		await held.sim?.close();
		held.sim = null;
	});
	return held;
}
