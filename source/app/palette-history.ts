// The command palette's recent commands, kept in the state directory so that the commands an engineer
// reaches for during an incident come first again after a restart (or a context switch). Only command ids
// are kept (never a target or typed text), at most ten; a file that is missing, unreadable or not a list
// of ids is treated as no history.
import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import path from 'node:path';

const MAX = 10;
const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export interface PaletteHistory {
	load(): string[];
	save(commands: readonly string[]): void;
}

export function paletteHistory(stateDir: string): PaletteHistory {
	const file = path.join(stateDir, 'palette-history.json');
	return {
		load() {
			try {
				const data: unknown = JSON.parse(readFileSync(file, 'utf8').slice(0, 4096));
				return Array.isArray(data) ? data.filter((c): c is string => typeof c === 'string' && ID.test(c)).slice(0, MAX) : [];
			} catch {
				return [];
			}
		},
		save(commands) {
			// Small and rare (one write per command run from the palette); renamed into place, so never half written.
			try {
				mkdirSync(stateDir, {recursive: true, mode: 0o700});
				writeFileSync(`${file}.tmp`, JSON.stringify(commands.filter((c) => ID.test(c)).slice(0, MAX)), {mode: 0o600});
				renameSync(`${file}.tmp`, file);
			} catch {
				// A read-only state directory costs the history, nothing else.
			}
		},
	};
}
