// `hive-console timeline [--since 1h] [--json] [--context NAME]`: the context's timeline, newest first.
// Text for people (time on the hive's clock, severity, what), JSON lines for scripts. The file is read as
// untrusted (it may have been edited by hand): every field is sanitised again on the way out.
import {EXIT} from '../app/exit-codes.js';
import {configOrExit, sinceFlag, writeOut} from '../headless/session.js';
import {readTimeline, timelinePaths} from '../timeline/index.js';
import {seenAt, TIMELINE_HEADER, timelineLine} from '../timeline/format.js';
import {describeError} from '../util/redact.js';
import {toSafeJson} from '../util/safe-json.js';
import {sanitise} from '../util/terminal-text.js';
import type {CommandContext} from './command.js';

export {timelineLine};

export async function run(ctx: CommandContext): Promise<number> {
	const config = await configOrExit(ctx.flags);
	if (typeof config === 'number') return config;
	const since = sinceFlag('timeline', ctx.flags.since);
	if (since === null) return EXIT.usage;
	let result;
	try {
		result = await readTimeline(config.stateDir, config.contextName);
	} catch (error) {
		process.stderr.write(`hive-console timeline: ${sanitise(describeError(error))}\n`);
		return EXIT.software;
	}
	const file = timelinePaths(config.stateDir, config.contextName).current;
	if (result.skipped > 0) process.stderr.write(`hive-console timeline: skipped ${result.skipped} unreadable line(s) in ${sanitise(file)}\n`);
	const entries = (since === undefined ? result.entries : result.entries.filter((e) => seenAt(e) >= since)).slice().reverse();
	if (ctx.flags.json === true) {
		await writeOut(entries.map((e) => toSafeJson(e, 0) + '\n').join(''));
		return EXIT.ok;
	}
	if (entries.length === 0) {
		await writeOut(`No timeline entries${since === undefined ? '' : ' in that period'} for context ${sanitise(config.contextName ?? 'default')} (${sanitise(file)}).\n`);
		return EXIT.ok;
	}
	await writeOut([TIMELINE_HEADER, ...entries.map((e) => timelineLine(e))].join('\n') + '\n');
	return EXIT.ok;
}
