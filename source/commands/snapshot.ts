// `hive-console snapshot [--out DIR] [--timeout 10]`: one poll of every configured source (as `status`),
// then the incident snapshot of it: a Markdown report and a versioned JSON file, with the context's
// timeline of the last hour and the recent audit entries. Prints the two paths; exits 0 when both files
// are written (the hive's state is in the report, not the exit code), 70 when they cannot be.
import {createHiveApp} from '../app/create.js';
import {EXIT} from '../app/exit-codes.js';
import {armExitGuard, configOrExit, oneShotConfig, writeOut} from '../headless/session.js';
import {takeSnapshot} from '../snapshot/take.js';
import {describeError} from '../util/redact.js';
import {sanitise} from '../util/terminal-text.js';
import type {CommandContext} from './command.js';

export async function run(ctx: CommandContext): Promise<number> {
	const config = await configOrExit(ctx.flags);
	if (typeof config === 'number') return config;
	const outDir = typeof ctx.flags.out === 'string' && ctx.flags.out !== '' ? ctx.flags.out : undefined;
	let app;
	try {
		app = createHiveApp(oneShotConfig(config), {include: ['hive', 'redis', 'postgres']});
	} catch (error) {
		process.stderr.write(`hive-console snapshot: ${sanitise(describeError(error))}\n`);
		return EXIT.usage;
	}
	let code: number = EXIT.software;
	try {
		await app.poller.refreshNow();
		const taken = await takeSnapshot({state: app.store.getState(), config, outDir});
		for (const w of taken.warnings) process.stderr.write(`hive-console snapshot: ${sanitise(w)}\n`);
		const overall = taken.document.header.overall;
		await writeOut(`Snapshot of ${sanitise(taken.document.hive)} (overall ${overall.toUpperCase()}) written:\n  ${sanitise(taken.markdownPath)}\n  ${sanitise(taken.jsonPath)}\n`);
		code = EXIT.ok;
	} catch (error) {
		process.stderr.write(`hive-console snapshot: cannot write the snapshot: ${sanitise(describeError(error))}\n`);
		code = EXIT.software;
	} finally {
		await app.close();
		armExitGuard(code);
	}
	return code;
}
