// `hive-console demo`: the README's first command. Starts the simulator in-process on a free port, with
// throwaway redis-server and PostgreSQL when they are installed (never an existing server), and opens the
// console on it. `--scenario NAME` starts in a fault; the `c` key (footer, demo only) moves to the next one.
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {configOrExit} from '../headless/session.js';
import {describeError} from '../util/redact.js';
import {sanitise} from '../util/terminal-text.js';
import type {CommandContext} from './command.js';
import {needsTerminal} from './console.js';
import {hintsFromNotes, startDemoServices} from './demo-services.js';
import {EXIT} from '../app/exit-codes.js';
import {DEMO_AGENTS, DEMO_INTERVAL, DEMO_SPEED} from './demo-defaults.js';

const CONNECTION_ENV = ['HIVE_URL', 'HIVE_TOKEN', 'REDIS_URL', 'DATABASE_URL', 'ALERTMANAGER_URL'];

export async function run(ctx: CommandContext): Promise<number> {
	const noTty = needsTerminal();
	if (noTty) {
		process.stderr.write(noTty);
		return EXIT.usage;
	}
	const {startSimulator, SCENARIOS, SimulatorOptionError} = await import('../simulator/index.js');
	const scenario = (ctx.flags.scenario as string | undefined) ?? 'healthy';
	if (!(SCENARIOS as readonly string[]).includes(scenario)) {
		process.stderr.write(`hive-console demo: --scenario: unknown scenario "${sanitise(scenario)}"; choose one of ${SCENARIOS.join(', ')}\n`);
		return EXIT.usage;
	}
	const speed = (ctx.flags.speed as number | undefined) ?? DEMO_SPEED;
	const tmp = mkdtempSync(path.join(os.tmpdir(), 'hive-demo-'));
	const logFile = path.join(tmp, 'hive-api.log');
	process.stderr.write('hive-console demo: starting the simulated hive (and throwaway Redis/PostgreSQL if installed)…\n');
	const services = await startDemoServices();
	let sim;
	try {
		sim = await startSimulator({
			port: 0,
			scenario,
			agents: (ctx.flags.agents as number | undefined) ?? DEMO_AGENTS,
			speed,
			redisUrl: services.redis?.url ?? null,
			databaseUrl: services.postgres?.url ?? null,
			logFile,
			onWarning: () => undefined,
		});
	} catch (error) {
		await services.close();
		rmSync(tmp, {recursive: true, force: true});
		process.stderr.write(`hive-console demo: ${sanitise(describeError(error))}\n`);
		return error instanceof SimulatorOptionError ? EXIT.usage : EXIT.software;
	}
	const running = sim;
	const closeDemo = async () => {
		await running.close().catch(() => undefined);
		await services.close();
		rmSync(tmp, {recursive: true, force: true});
	};
	// The demo reads only what it started: no connection variables, no config file contexts.
	const env: Record<string, string | undefined> = {...process.env, XDG_CONFIG_HOME: path.join(tmp, 'config')};
	for (const name of CONNECTION_ENV) delete env[name];
	const config = await configOrExit(
		{
			hive: running.url,
			redis: services.redis?.url,
			database: services.postgres?.url,
			logs: logFile,
			interval: ctx.flags.interval ?? DEMO_INTERVAL,
			apiProfile: ctx.flags.apiProfile,
			readOnly: ctx.flags.readOnly,
			auditLog: ctx.flags.auditLog,
		},
		env,
	);
	if (typeof config === 'number') {
		await closeDemo();
		return config;
	}
	let index = SCENARIOS.indexOf(scenario as (typeof SCENARIOS)[number]);
	const {runConsole} = await import('../ui/run-console.js');
	const hints = hintsFromNotes(services.notes);
	return runConsole({
		config,
		flags: ctx.flags,
		contextLabel: 'demo',
		disabledHints: hints,
		onClose: closeDemo,
		demo: {
			scenarios: SCENARIOS,
			current: scenario,
			speed,
			async next() {
				index = (index + 1) % SCENARIOS.length;
				const name = SCENARIOS[index]!;
				running.context.setScenario(name, true);
				return name;
			},
		},
	});
}
