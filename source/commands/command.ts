// What every command module exports: `run(ctx)` resolving to the process exit code.
export interface CommandContext {
	command: string;
	/** Positional words after the command name. */
	input: string[];
	/** camelCase flags as parsed by meow; undefined where not given. */
	flags: Record<string, unknown>;
}

export type Command = (ctx: CommandContext) => Promise<number>;
