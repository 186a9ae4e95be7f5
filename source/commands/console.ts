// `hive-console` (no subcommand): resolve the config, start the poller and the store, open the live console.
import {configOrExit} from '../headless/session.js';
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
	// The same config errors, exit codes and warnings as every other command.
	const config = await configOrExit(ctx.flags);
	if (typeof config === 'number') return config;
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
