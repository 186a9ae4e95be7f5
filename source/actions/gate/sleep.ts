// The one wait the gate and the playbook runner use between steps: it must end early on a skip or a stop
// and must never reject, so an abort never surfaces as an error in a run.

/** Waits `ms`, or less when `signal` aborts (a skipped wait, a stop); never rejects. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		if (signal.aborted || ms <= 0) return resolve();
		const timer = setTimeout(done, ms);
		function done() {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		}
		signal.addEventListener('abort', done, {once: true});
	});
}
