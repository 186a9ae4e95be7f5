// The fleet's data side, shared by `hive-console fleet` and the console's Fleet view: one HiveApp per
// context of the config file, each with its own sources and poller (so a slow or dead hive never holds
// back the others), and the fleet report built from what each last answered.
import type {ResolvedConfig} from '../config/resolve.js';
import {buildFleetReport, fleetRow, type FleetReport} from '../headless/fleet.js';
import {buildStatusReport} from '../headless/report.js';
import {oneShotConfig} from '../headless/session.js';
import {secondsSinceSuccess} from '../store/selectors.js';
import {createHiveApp, type HiveApp} from './create.js';

export interface FleetMember {
	name: string;
	config: ResolvedConfig;
	app: HiveApp;
}

/** A member reads the hive, Redis and PostgreSQL (no logs); polled on its own, backing off no further than its interval. */
export function fleetMember(name: string, config: ResolvedConfig, once: boolean): FleetMember {
	return {name, config, app: createHiveApp(once ? oneShotConfig(config) : config, {include: ['hive', 'redis', 'postgres'], ...(once ? {} : {maxBackoffMs: config.intervalMs})})};
}

export function fleetReportOf(members: readonly FleetMember[], now: number): FleetReport {
	return buildFleetReport(
		members.map((m) => {
			const state = m.app.store.getState();
			return fleetRow(m.name, buildStatusReport(state, m.config, now), secondsSinceSuccess(state.sources.hive, now));
		}),
		now,
	);
}

export function closeFleet(members: readonly FleetMember[]): Promise<unknown> {
	return Promise.all(members.map((m) => m.app.close().catch(() => undefined)));
}

/** The fleet polled live for a view: a report on demand, a call when any member's data changes. */
export interface FleetWatch {
	report(now: number): FleetReport;
	/** Contexts that could not be polled (a config error), with why. */
	unusable: Array<{name: string; why: string}>;
	subscribe(listener: () => void): () => void;
	close(): Promise<void>;
}

export function watchFleet(members: FleetMember[], unusable: FleetWatch['unusable']): FleetWatch {
	for (const m of members) m.app.poller.start();
	const listeners = new Set<() => void>();
	const unsubscribes = members.map((m) => m.app.store.subscribe(() => listeners.forEach((l) => l())));
	return {
		report: (now) => fleetReportOf(members, now),
		unusable,
		subscribe: (listener) => {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		close: async () => {
			unsubscribes.forEach((u) => u());
			listeners.clear();
			await closeFleet(members);
		},
	};
}
