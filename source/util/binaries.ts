// Finding the Debian-packaged servers the demo and the test harness start (redis-server, PostgreSQL's
// initdb and postgres, which Debian keeps out of PATH in /usr/lib/postgresql/VERSION/bin).
import {existsSync, readdirSync} from 'node:fs';
import path from 'node:path';

/** The first `binary` found in `preferredDirs`, then on PATH; null if none. */
export function findBinary(binary: string, preferredDirs: string[] = [], searchPath = process.env.PATH ?? ''): string | null {
	for (const dir of [...preferredDirs, ...searchPath.split(':')]) {
		if (!dir) continue;
		const candidate = path.join(dir, binary);
		if (existsSync(candidate)) return candidate;
	}
	return null;
}

/** PostgreSQL's server binary directories, newest version first. */
export function postgresBinDirs(base = '/usr/lib/postgresql'): string[] {
	if (!existsSync(base)) return [];
	return readdirSync(base)
		.sort((a, b) => Number(b) - Number(a))
		.map((v) => path.join(base, v, 'bin'));
}
