// The bridges' shared rhythm (Redis, PostgreSQL, log file): run a flush every interval, never two at once
// (a call while one runs joins it), and on stop wait for the one in flight so nothing is cut in half.
export class PeriodicFlush {
	private timer: NodeJS.Timeout | null = null;
	private running: Promise<void> | null = null;

	constructor(
		private readonly flushOnce: () => Promise<void>,
		private readonly intervalMs: number,
	) {}

	start(): void {
		this.timer ??= setInterval(() => void this.flush(), this.intervalMs);
	}

	flush(): Promise<void> {
		this.running ??= this.flushOnce().finally(() => {
			this.running = null;
		});
		return this.running;
	}

	/** Stops the timer and waits for a flush in flight (its failure is the bridge's to report, not ours). */
	async stop(): Promise<void> {
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
		await this.running?.catch(() => undefined);
	}
}
