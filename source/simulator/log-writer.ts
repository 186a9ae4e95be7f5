// Writes the world's log lines to --log-file in the style of the hive's API container (uvicorn access
// lines and Python logging lines), including the error lines the runbook greps for. The file is rotated
// at 20 MB (one .1 kept) so a long run cannot fill the disk.
import {appendFile, rename, stat} from 'node:fs/promises';
import {PeriodicFlush} from './periodic-flush.js';
import type {LogEntry, World} from './world.js';

const ROTATE_AT = 20 * 1024 * 1024;

function pythonTime(ms: number): string {
	const iso = new Date(ms).toISOString();
	return `${iso.slice(0, 10)} ${iso.slice(11, 19)},${iso.slice(20, 23)}`;
}

export function formatLogLine(entry: LogEntry): string {
	if (entry.logger === 'uvicorn.access') return `${entry.level}:     ${entry.message}`;
	return `${pythonTime(entry.at)} - ${entry.logger} - ${entry.level} - ${entry.message}`;
}

export class LogWriter {
	private readonly rhythm = new PeriodicFlush(() => this.flushOnce(), 250);
	private written = 0;
	/** Set once a write failed; reported on stderr once, never fatal. */
	lastError: string | null = null;

	constructor(
		private readonly file: string,
		private readonly world: World,
		private readonly onError: (message: string) => void,
	) {}

	async start(): Promise<void> {
		this.written = await stat(this.file).then((s) => s.size, () => 0);
		this.rhythm.start();
	}

	flush(): Promise<void> {
		return this.rhythm.flush();
	}

	private async flushOnce(): Promise<void> {
		const entries = this.world.logs.splice(0, this.world.logs.length);
		let text = entries.map((e) => formatLogLine(e) + '\n').join('');
		if (this.world.logsDropped) {
			text += formatLogLine({at: this.world.now, level: 'WARNING', logger: 'app.logging', message: `${this.world.logsDropped} log lines dropped (log buffer full)`}) + '\n';
			this.world.logsDropped = 0;
		}
		if (!text) return;
		try {
			if (this.written > ROTATE_AT) {
				await rename(this.file, `${this.file}.1`);
				this.written = 0;
			}
			await appendFile(this.file, text);
			this.written += Buffer.byteLength(text);
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			if (this.lastError === null) this.onError(`hive simulator: cannot write the log file: ${message}`);
			this.lastError = message;
		}
	}

	async close(): Promise<void> {
		await this.rhythm.stop();
		await this.flush();
	}
}
