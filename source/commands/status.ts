// `hive-console status [--json]`: one poll of every configured source in parallel (each with its
// deadline), then exit 0 healthy, 1 warning, 2 critical, 3 unknown. Never loads Ink or React.
import {createHiveApp} from '../app/create.js';
import {colorEnabled, createPaint} from '../headless/color.js';
import {buildStatusReport, exitCodeFor, toSafeJson} from '../headless/report.js';
import {armExitGuard, configOrExit, writeOut} from '../headless/session.js';
import {renderStatusText} from '../headless/text.js';
import {describeError} from '../util/redact.js';
import {sanitise} from '../util/terminal-text.js';
import type {CommandContext} from './command.js';
import {EXIT} from './exit-codes.js';

export async function run(ctx: CommandContext): Promise<number> {
	const config = await configOrExit(ctx.flags);
	if (typeof config === 'number') return config;
	let app;
	try {
		app = createHiveApp(config, {include: ['hive', 'redis', 'postgres']});
	} catch (error) {
		process.stderr.write(`hive-console: ${sanitise(describeError(error))}\n`);
		return EXIT.usage;
	}
	let code: number = EXIT.unknown;
	try {
		await app.poller.refreshNow();
		const report = buildStatusReport(app.store.getState(), config, Date.now());
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
