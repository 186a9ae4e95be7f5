// PostgreSQL pools made on first use. `pg` is imported only then, so a command with no database configured
// never loads it: its module graph, and through its runtime check Node's bundled fetch, were about 30 ms of
// every `status` (CPU profile of one run).
import type pg from 'pg';

let loading: Promise<typeof pg> | null = null;

function loadPg(): Promise<typeof pg> {
	return (loading ??= import('pg').then((m) => m.default));
}

export interface LazyPool {
	/** The pool, created (and pg loaded) on the first call. */
	get(): Promise<pg.Pool>;
	/** Ends the pool if one was made; never throws. */
	end(): Promise<void>;
}

export function lazyPool(config: pg.PoolConfig): LazyPool {
	let pool: Promise<pg.Pool> | null = null;
	let ended = false;
	return {
		get() {
			pool ??= loadPg().then((pgModule) => {
				const made = new pgModule.Pool(config);
				// An idle client killed by the server emits here; unhandled, it would crash the process.
				made.on('error', () => undefined);
				if (ended) void made.end().catch(() => undefined);
				return made;
			});
			return pool;
		},
		async end() {
			ended = true;
			if (!pool) return;
			const made = await pool.catch(() => null);
			await made?.end().catch(() => undefined);
		},
	};
}
