// What every command module exports: `run(ctx)` resolving to the process exit code.
export interface CommandContext {
	command: string;
	/** Positional words after the command name. */
	input: string[];
	/** camelCase flags as source/cli.ts parses them; undefined where not given. */
	flags: Record<string, unknown>;
}

export type Command = (ctx: CommandContext) => Promise<number>;
