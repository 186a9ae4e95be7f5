// `hive-console status [--json] [--timeout 10]`: one poll of every configured source in parallel, within
// the command's own deadline (not the poll interval's), then exit 0 healthy, 1 warning, 2 critical,
// 3 unknown. Never loads Ink or React.
import {createHiveApp} from '../app/create.js';
import {colorEnabled, createPaint} from '../headless/color.js';
import {buildStatusReport, exitCodeFor, toSafeJson} from '../headless/report.js';
import {armExitGuard, configOrExit, oneShotConfig, writeOut} from '../headless/session.js';
import {renderStatusText} from '../headless/text.js';
import {describeError} from '../util/redact.js';
import {sanitise} from '../util/terminal-text.js';
import type {CommandContext} from './command.js';
import {EXIT} from '../app/exit-codes.js';

export async function run(ctx: CommandContext): Promise<number> {
	const config = await configOrExit(ctx.flags);
	if (typeof config === 'number') return config;
	let app;
	try {
		app = createHiveApp(oneShotConfig(config), {include: ['hive', 'redis', 'postgres']});
	} catch (error) {
		process.stderr.write(`hive-console: ${sanitise(describeError(error))}\n`);
		return EXIT.usage;
	}
	let code: number = EXIT.unknown;
	try {
		await app.poller.refreshNow();
		const now = Date.now();
		const state = app.store.getState();
		const report = buildStatusReport(state, config, now, undefined, {deadline: {ms: config.timeoutMs, flag: '--timeout'}});
		code = exitCodeFor(report.overall);
		if (ctx.flags.json === true) {
			await writeOut(toSafeJson(report) + '\n');
		} else {
			const paint = createPaint(colorEnabled(process.stdout, process.env, ctx.flags.color));
			const width = process.stdout.isTTY ? process.stdout.columns || 100 : null;
			await writeOut(renderStatusText(report, {paint, width, badgeColor: config.environment?.color}) + '\n');
		}
	} finally {
		await app.close();
		armExitGuard(code);
	}
	return code;
}
