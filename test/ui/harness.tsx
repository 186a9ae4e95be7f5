// Builds a ConsoleApp over a fixture store with recording poll controls, for the component tests.
import React from 'react';
import {ConsoleApp, type ConsoleAppProps, type PollControls} from '../../source/ui/app.js';
import {buildKeymap} from '../../source/ui/keymap.js';
import type {PaneId} from '../../source/ui/layout.js';
import type {HiveStore} from '../../source/store/store.js';
import {NOW} from './fixtures.js';

export interface Calls {
	controls: string[];
	quit: number;
}

export function consoleElement(store: HiveStore, options: {columns?: number; rows?: number; focused?: PaneId; zoomed?: boolean; color?: boolean; ascii?: boolean; now?: number; calls?: Calls; props?: Partial<ConsoleAppProps>} = {}) {
	const calls = options.calls ?? {controls: [], quit: 0};
	const controls: PollControls = {
		pause: () => {
			calls.controls.push('pause');
			store.getState().setPaused(true);
		},
		resume: () => {
			calls.controls.push('resume');
			store.getState().setPaused(false);
		},
		refreshNow: () => calls.controls.push('refresh'),
		setIntervalMs: (ms) => {
			calls.controls.push(`interval ${ms}`);
			store.getState().setIntervalMs(ms);
		},
	};
	return (
		<ConsoleApp
			store={store}
			controls={controls}
			header={{contextName: 'prod-eu', environment: {label: 'PROD', color: 'red'}, hiveUrl: 'http://hive.example:8000'}}
			theme={{color: options.color ?? false, ascii: options.ascii ?? false}}
			keymap={buildKeymap()}
			onQuit={() => calls.quit++}
			size={{columns: options.columns ?? 100, rows: options.rows ?? 30}}
			now={options.now ?? NOW}
			initialView={{focused: options.focused ?? 'metrics', zoomed: options.zoomed ?? false}}
			{...options.props}
		/>
	);
}

/** Frame text without SGR colour/style sequences; anything else starting with ESC stays visible. */
export function stripSgr(frame: string): string {
	return frame.replace(/\u001b\[[0-9;]*m/g, '');
}
