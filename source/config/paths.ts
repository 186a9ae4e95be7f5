// XDG base directories (config and state), so config, audit and check logs land where the user expects
// and tests can move them with XDG_CONFIG_HOME / XDG_STATE_HOME.
import os from 'node:os';
import path from 'node:path';

type Env = Record<string, string | undefined>;

function home(env: Env): string {
	return env.HOME || os.homedir();
}

/** XDG says a relative value must be ignored. */
function absoluteOr(value: string | undefined, fallback: string): string {
	return value && path.isAbsolute(value) ? value : fallback;
}

export function configDir(env: Env): string {
	return path.join(absoluteOr(env.XDG_CONFIG_HOME, path.join(home(env), '.config')), 'hive-console');
}

export function stateDir(env: Env): string {
	return path.join(absoluteOr(env.XDG_STATE_HOME, path.join(home(env), '.local', 'state')), 'hive-console');
}

export function defaultConfigPath(env: Env): string {
	return path.join(configDir(env), 'config.json');
}

/** Expands a leading `~/` so config files can name paths the way people write them. */
export function expandHome(p: string, env: Env): string {
	if (p === '~') return home(env);
	if (p.startsWith('~/')) return path.join(home(env), p.slice(2));
	return p;
}
