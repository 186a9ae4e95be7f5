// Toasts: one line in the footer that clears itself. A new one replaces the old one and its timer.
import type {Notice} from '../chrome.js';

export class Toasts {
	private timer: NodeJS.Timeout | null = null;

	constructor(
		private readonly show: (notice: Notice | null) => void,
		private readonly defaultMs: number,
	) {}

	toast(notice: Notice, ms = this.defaultMs): void {
		if (this.timer) clearTimeout(this.timer);
		this.show(notice);
		this.timer = setTimeout(() => {
			this.timer = null;
			this.show(null);
		}, ms);
		this.timer.unref?.();
	}

	dispose(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}
}
