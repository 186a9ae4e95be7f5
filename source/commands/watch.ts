// `hive-console watch [--interval 5] [--count N]`: a compact plain-text frame after every hive poll, for
// pipes, `watch`, tmux logs and serial consoles. No alternate screen, no raw mode, no cursor movement;
// colour only on a terminal without NO_COLOR. Ends cleanly on SIGINT, SIGTERM, a closed pipe, or --count.
import {createHiveApp} from '../app/create.js';
import {colorEnabled, createPaint} from '../headless/color.js';
import {buildStatusReport, exitCodeFor} from '../headless/report.js';
import {armExitGuard, configOrExit, countFlag, stdoutClosed, watchStdout, writeOut} from '../headless/session.js';
import {renderStatusText, type SourceTiming} from '../headless/text.js';
import {secondsSinceSuccess, secondsUntilNextPoll} from '../store/selectors.js';
import type {SourceName} from '../contract/snapshot.js';
import {describeError, redactUrl} from '../util/redact.js';
import {sanitise} from '../util/terminal-text.js';
import type {CommandContext} from './command.js';
import {EXIT} from '../app/exit-codes.js';

export async function run(ctx: CommandContext): Promise<number> {
	const count = countFlag('watch', ctx.flags.count);
	if (typeof count === 'object') return count.exit;
	const config = await configOrExit(ctx.flags);
	if (typeof config === 'number') return config;

	let finish!: (code: number) => void;
	const finished = new Promise<number>((resolve) => {
		finish = resolve;
	});
	let frames = 0;
	let lastCode: number = EXIT.unknown;
	let started = false;
	const settledOnce = new Set<SourceName>();

	let app: ReturnType<typeof createHiveApp>;
	const paint = createPaint(colorEnabled(process.stdout, process.env, ctx.flags.color));
	const frame = async () => {
		if (stdoutClosed()) return;
		const now = Date.now();
		const state = app.store.getState();
		const report = buildStatusReport(state, config, now);
		lastCode = exitCodeFor(report.overall);
		const timing: Partial<Record<'hive' | 'redis' | 'postgres', SourceTiming>> = {};
		for (const name of ['hive', 'redis', 'postgres'] as const) {
			timing[name] = {updatedSecondsAgo: secondsSinceSuccess(state.sources[name], now), nextPollInSeconds: secondsUntilNextPoll(state.sources[name], now)};
		}
		const badge = config.environment ? ` ${paint.badge(sanitise(config.environment.label), config.environment.color)}` : '';
		const title = `── ${report.generatedAt.replace(/\.\d+Z$/, 'Z')}${config.contextName ? ` · ${sanitise(config.contextName)}` : ''}${badge} · ${sanitise(redactUrl(config.hiveUrl))} · ${report.profile ?? 'profile unknown'} · every ${config.intervalMs / 1000} s ──`;
		const width = process.stdout.isTTY ? process.stdout.columns || 100 : null;
		const text = renderStatusText(report, {paint, width, title, timing, badgeColor: config.environment?.color});
		frames++;
		await writeOut(`${frames > 1 ? '\n' : ''}${text}\n`);
		if (count !== undefined && frames >= count) finish(lastCode);
	};

	try {
		// Failing sources retry every interval (not the console's longer backoff): a frame per interval is
		// what someone reading a log expects.
		app = createHiveApp(config, {
			include: ['hive', 'redis', 'postgres'],
			maxBackoffMs: config.intervalMs,
			onPollSettled: (name) => {
				settledOnce.add(name);
				if (!started) {
					if (app.poller.names.every((n) => settledOnce.has(n))) {
						started = true;
						void frame();
					}
				} else if (name === 'hive') {
					void frame();
				}
			},
		});
	} catch (error) {
		process.stderr.write(`hive-console: ${sanitise(describeError(error))}\n`);
		return EXIT.usage;
	}

	const onSignal = () => finish(EXIT.ok);
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	watchStdout(() => finish(EXIT.ok));
	app.poller.start();

	const code = await finished;
	process.removeListener('SIGINT', onSignal);
	process.removeListener('SIGTERM', onSignal);
	await app.close();
	armExitGuard(code);
	return code;
}
