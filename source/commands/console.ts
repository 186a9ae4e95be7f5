// `hive-console` (no subcommand): resolve the config, start the poller and the store, open the live console.
import {ConfigError, resolveConfig} from '../config/index.js';
import {describeError} from '../util/redact.js';
import {sanitise} from '../util/terminal-text.js';
import type {CommandContext} from './command.js';
import {EXIT} from '../app/exit-codes.js';

export function needsTerminal(): string | null {
	if (process.stdout.isTTY && process.stdin.isTTY) return null;
	return 'hive-console: the live console needs a terminal on stdin and stdout; for pipes, logs and `watch` use `hive-console watch` or `hive-console status`.\n';
}

export async function run(ctx: CommandContext): Promise<number> {
	const noTty = needsTerminal();
	if (noTty) {
		process.stderr.write(noTty);
		return EXIT.usage;
	}
	let config;
	try {
		config = await resolveConfig(ctx.flags);
	} catch (error) {
		process.stderr.write(`hive-console: ${sanitise(describeError(error))}\n`);
		return error instanceof ConfigError ? EXIT.usage : EXIT.software;
	}
	for (const warning of config.warnings) process.stderr.write(`hive-console: ${sanitise(warning)}\n`);
	// Ink and React load only now, so a config error costs no start-up time.
	const {runConsole} = await import('../ui/run-console.js');
	const {KeymapError} = await import('../ui/keymap.js');
	try {
		return await runConsole({config, flags: ctx.flags});
	} catch (error) {
		if (error instanceof KeymapError) {
			process.stderr.write(`hive-console: ${sanitise(error.message)}\n`);
			return EXIT.usage;
		}
		throw error;
	}
}
