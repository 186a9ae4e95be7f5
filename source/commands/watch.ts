import type {CommandContext} from './command.js';
import {EXIT} from './exit-codes.js';

export async function run(_ctx: CommandContext): Promise<number> {
	process.stderr.write('hive-console: "watch" is not built yet.\n');
	return EXIT.software;
}
