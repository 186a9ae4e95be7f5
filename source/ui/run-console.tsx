// Mounts the console on the real terminal for a resolved config: terminal session first (so every exit
// path restores the terminal), then the data layer's app (wired in source/app/console.ts), then Ink.
// Shared by `hive-console` and `hive-console demo`; resolves with the exit code.
import React from 'react';
import {render} from 'ink';
import type {ResolvedConfig} from '../config/resolve.js';
import {applyDisabledHints, consoleActionSources, createConsoleApp, createConsoleIncident, createFocusPolling, pollControls} from '../app/index.js';
import {EXIT} from '../app/exit-codes.js';
import {redactUrl} from '../util/redact.js';
import type {SourceName} from '../contract/snapshot.js';
import {contextNameOf, readOnlyModeOf} from '../actions/index.js';
import type {DemoControls, PollControls} from './app.js';
import {ActionConsole} from './actions/action-console.js';
import {actionBindings} from './actions/action-keys.js';
import {ActionController} from './actions/controller.js';
import {buildKeymap} from './keymap.js';
import {loadInkTable} from './ink-table-loader.js';
import {openTerminalSession} from './terminal-session.js';
import {enableFocusReporting} from './focus-reporting.js';
import {resolveTheme} from './theme.js';
import {asciiStream} from './ascii-output.js';
import {createClipboard} from './clipboard.js';

export interface RunConsoleOptions {
	config: ResolvedConfig;
	flags: Record<string, unknown>;
	demo?: DemoControls;
	/** Extra cleanup after the data layer closes (the demo's simulator and throwaway servers). */
	onClose?: () => Promise<void>;
	/** Header context name when the config has none (the demo says "demo"). */
	contextLabel?: string;
	/** Replaces the "how to enable" line of sources that are off (the demo says what to install). */
	disabledHints?: Partial<Record<SourceName, string>>;
}

export {applyDisabledHints};

export async function runConsole(options: RunConsoleOptions): Promise<number> {
	const {config} = options;
	// The keymap is checked before the terminal is touched, so a bad config prints a plain message.
	const keymap = buildKeymap(config.keymap, actionBindings(), config.configPath ? `${config.configPath}: contexts.${config.contextName ?? '?'}.keymap` : 'config "keymap"');
	const theme = resolveTheme({colorFlag: options.flags.color as boolean | undefined, ascii: options.flags.ascii === true});
	const app = createConsoleApp(config);
	const contextName = options.contextLabel ?? contextNameOf(config);
	// The timeline is kept per context; the demo's lives in its throwaway state and goes with it.
	const incident = createConsoleIncident(app, {context: config.contextName ?? options.contextLabel ?? null});
	let closing: Promise<void> | null = null;
	const closeAll = () => {
		closing ??= (async () => {
			await incident.close().catch(() => undefined);
			await app.close();
			await options.onClose?.();
		})();
		return closing;
	};
	applyDisabledHints(app.store, options.disabledHints);
	let unmountUi: () => void = () => undefined;
	const session = openTerminalSession({stateDir: config.stateDir, onEnd: closeAll, beforeRestore: () => unmountUi()});
	loadInkTable();
	const controls: PollControls = pollControls(app);
	// Actions send through the sources the poller already has; the gate needs the hive's profile first,
	// so the console opens at once and the action keys say "connecting" until it is known.
	const readOnly = readOnlyModeOf(config, options.flags.readOnly === true);
	const sources = consoleActionSources(app, {contextName, readOnly});
	// OSC 52 goes to the same stream Ink draws on (the ASCII filter leaves base64 alone).
	const out = theme.ascii ? asciiStream(process.stdout) : process.stdout;
	const clipboard = createClipboard({write: (sequence) => void out.write(sequence), stateDir: config.stateDir});
	const controller = new ActionController({...sources, incident: incident.tools, clipboard});
	incident.followGate(sources.gate);
	incident.followPlaybooks(controller.store);
	await incident.recorder.start();
	let quit: () => void = () => undefined;
	const quitting = new Promise<void>((resolve) => {
		quit = resolve;
	});
	const instance = render(
		<ActionConsole
			controller={controller}
			config={config}
			readOnly={readOnly}
			store={app.store}
			controls={controls}
			header={{contextName: options.contextLabel ?? config.contextName ?? 'default', environment: config.environment, hiveUrl: redactUrl(config.hiveUrl)}}
			theme={theme}
			keymap={keymap}
			onQuit={() => quit()}
			demo={options.demo}
			clipboard={clipboard}
		/>,
		{exitOnCtrlC: false, patchConsole: true, maxFps: 30, stdout: out},
	);
	unmountUi = () => instance.unmount();
	app.poller.start();
	// Out of view, poll slower (or not); back in view, refresh at once. Off with "unfocusedInterval": false.
	const focusPolling = config.unfocusedIntervalMs !== null && process.stdin.isTTY ? createFocusPolling(app, config.unfocusedIntervalMs) : null;
	const disableFocus = focusPolling ? enableFocusReporting(process.stdin, out, (focused) => focusPolling.focus(focused)) : () => undefined;
	const closeActions = () => controller.dispose();
	try {
		await Promise.race([quitting, instance.waitUntilExit()]);
	} catch (error) {
		// A render error: Ink unmounted with it. Same path as any other crash.
		instance.unmount();
		session.crash(error);
		session.dispose();
		await closeAll();
		return EXIT.software;
	}
	instance.unmount();
	closeActions();
	disableFocus();
	session.restore();
	session.dispose();
	await closeAll();
	return EXIT.ok;
}
