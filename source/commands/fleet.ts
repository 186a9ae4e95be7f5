// `hive-console fleet [--once] [--json] [--interval 5] [--timeout 10]`: every hive the config file names,
// one row each, worst first. Each hive has its own sources and poller, so a slow or dead one never holds
// back the others: with --once all are read in parallel within --timeout and the exit code is the worst
// state (0/1/2/3); without it a table is printed every interval from whatever each hive last answered.
import {closeFleet, fleetMember, fleetReportOf, type FleetMember} from '../app/fleet.js';
import {colorEnabled, createPaint} from '../headless/color.js';
import {renderFleetText} from '../headless/fleet.js';
import {exitCodeFor, toSafeJson} from '../headless/report.js';
import {armExitGuard, configOrExit, countFlag, stdoutClosed, watchStdout, writeOut} from '../headless/session.js';
import {describeError} from '../util/redact.js';
import {sanitise} from '../util/terminal-text.js';
import type {CommandContext} from './command.js';
import {EXIT} from '../app/exit-codes.js';

export async function run(ctx: CommandContext): Promise<number> {
	const once = ctx.flags.once === true;
	const count = countFlag('fleet', ctx.flags.count);
	if (typeof count === 'object') return count.exit;
	const base = await configOrExit(ctx.flags);
	if (typeof base === 'number') return base;
	if (base.contextNames.length === 0) {
		process.stderr.write(`hive-console fleet: ${base.configPath ?? 'the config file'} defines no contexts; the fleet is every context in it (README, Configuration; --config FILE names another file)\n`);
		return EXIT.usage;
	}
	const members: FleetMember[] = [];
	const closeAll = () => closeFleet(members);
	for (const name of base.contextNames) {
		const config = await configOrExit({...ctx.flags, context: name});
		if (typeof config === 'number') {
			await closeAll();
			return config;
		}
		try {
			members.push(fleetMember(name, config, once));
		} catch (error) {
			process.stderr.write(`hive-console fleet: context "${sanitise(name)}": ${sanitise(describeError(error))}\n`);
			await closeAll();
			return EXIT.usage;
		}
	}

	const paint = createPaint(colorEnabled(process.stdout, process.env, ctx.flags.color));
	const print = async () => {
		const r = fleetReportOf(members, Date.now());
		const width = process.stdout.isTTY ? process.stdout.columns || 100 : null;
		await writeOut((ctx.flags.json === true ? toSafeJson(r) : renderFleetText(r, {paint, width})) + '\n');
		return exitCodeFor(r.worst);
	};

	let code: number = EXIT.unknown;
	if (once) {
		try {
			await Promise.all(members.map((m) => m.app.poller.refreshNow()));
			code = await print();
		} finally {
			await closeAll();
			armExitGuard(code);
		}
		return code;
	}

	// Repeating: every hive polls on its own; a table every interval shows what each last said.
	const intervalMs = Math.min(...members.map((m) => m.config.intervalMs));
	let frames = 0;
	let finish!: (code: number) => void;
	const finished = new Promise<number>((resolve) => {
		finish = resolve;
	});
	const onSignal = () => finish(EXIT.ok);
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	watchStdout(() => finish(EXIT.ok));
	for (const m of members) m.app.poller.start();
	// The first table waits for each hive's first answer, or its deadline, whichever comes first.
	await Promise.race([Promise.all(members.map((m) => m.app.poller.refreshNow().catch(() => undefined))), finished]);
	const tick = async () => {
		if (stdoutClosed()) return;
		if (frames > 0) await writeOut('\n');
		code = await print();
		frames++;
		if (count !== undefined && frames >= count) finish(code);
	};
	await tick();
	const timer = setInterval(() => void tick(), intervalMs);
	code = await finished;
	clearInterval(timer);
	process.removeListener('SIGINT', onSignal);
	process.removeListener('SIGTERM', onSignal);
	await closeAll();
	armExitGuard(code);
	return code;
}
