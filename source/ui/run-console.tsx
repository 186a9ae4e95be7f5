// Mounts the console on the real terminal for a resolved config: terminal session first (so every exit
// path restores the terminal), then the data layer's app (wired in source/app/console.ts), then Ink.
// Shared by `hive-console` and `hive-console demo`; resolves with the exit code. Switching to another
// context of the config file (the palette's "ctx NAME") closes this context's app and mounts the next one
// in the same terminal session: the process, the terminal and the audit log stay.
import React from 'react';
import {render} from 'ink';
import {ConfigError, resolveConfig} from '../config/index.js';
import type {ResolvedConfig} from '../config/resolve.js';
import {applyDisabledHints, consoleActionSources, createConsoleApp, createConsoleIncident, createFocusPolling, pollControls} from '../app/index.js';
import {EXIT} from '../app/exit-codes.js';
import {fleetMember, watchFleet, type FleetMember} from '../app/fleet.js';
import {paletteHistory} from '../app/palette-history.js';
import {describeError, redactUrl} from '../util/redact.js';
import type {SourceName} from '../contract/snapshot.js';
import {contextNameOf, readOnlyModeOf} from '../actions/index.js';
import type {ContextSwitcher, DemoControls, PollControls} from './app.js';
import {ActionConsole} from './actions/action-console.js';
import {actionBindings} from './actions/action-keys.js';
import {ActionController} from './actions/controller.js';
import {buildKeymap, KeymapError, type Keymap} from './keymap.js';
import {loadInkTable} from './ink-table-loader.js';
import {openTerminalSession} from './terminal-session.js';
import {enableFocusReporting} from './focus-reporting.js';
import {resolveTheme, type Theme} from './theme.js';
import {asciiStream} from './ascii-output.js';
import {createClipboard} from './clipboard.js';
import type {ContextChoice} from './views/palette.js';

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

const CLEAR_HOME = '\u001b[2J\u001b[H';

function keymapOf(config: ResolvedConfig): Keymap {
	return buildKeymap(config.keymap, actionBindings(), config.configPath ? `${config.configPath}: contexts.${config.contextName ?? '?'}.keymap` : 'config "keymap"');
}

/**
 * The flags another context is resolved with: only those about this run as a whole. A --hive, --redis or
 * --interval typed for the first context must not follow the user into the next one; --read-only does
 * (a console opened read-only stays read-only), as do the config file, the audit log and the display.
 */
function switchFlags(flags: Record<string, unknown>, context: string): Record<string, unknown> {
	const kept: Record<string, unknown> = {context};
	for (const key of ['config', 'readOnly', 'auditLog', 'color', 'ascii']) if (flags[key] !== undefined) kept[key] = flags[key];
	return kept;
}

type ResolvedContext = {name: string; config: ResolvedConfig} | {name: string; error: unknown};

/** Each other context of the config file as a switch would resolve it, or why it cannot be used. */
function resolveContexts(names: readonly string[], flags: Record<string, unknown>): Promise<ResolvedContext[]> {
	return Promise.all(
		names.map(async (name): Promise<ResolvedContext> => {
			try {
				return {name, config: await resolveConfig(switchFlags(flags, name))};
			} catch (error) {
				return {name, error};
			}
		}),
	);
}

/** What the palette shows beside each context: where it points, and whether it is read-only. */
function contextChoice(context: ResolvedContext, current: string | null): ContextChoice {
	if ('error' in context) return {name: context.name, current: context.name === current, description: `cannot be used: ${describeError(context.error).slice(0, 120)}`};
	const {config} = context;
	return {name: context.name, current: context.name === current, description: `${redactUrl(config.hiveUrl)}${config.environment ? ` (${config.environment.label})` : ''}${config.readOnly ? ', read-only' : ''}`};
}

type Mounted = {kind: 'quit'} | {kind: 'switch'; config: ResolvedConfig; keymap: Keymap} | {kind: 'crash'; error: unknown};

export async function runConsole(options: RunConsoleOptions): Promise<number> {
	let config = options.config;
	// The keymap is checked before the terminal is touched, so a bad config prints a plain message.
	let keymap = keymapOf(config);
	const theme = resolveTheme({colorFlag: options.flags.color as boolean | undefined, ascii: options.flags.ascii === true});
	// OSC 52 goes to the same stream Ink draws on (the ASCII filter leaves base64 alone).
	const out = theme.ascii ? asciiStream(process.stdout) : process.stdout;
	let closeMounted: () => Promise<void> = async () => undefined;
	let closing: Promise<void> | null = null;
	const closeAll = () => {
		closing ??= (async () => {
			await closeMounted();
			await options.onClose?.();
		})();
		return closing;
	};
	let unmountUi: () => void = () => undefined;
	const session = openTerminalSession({stateDir: config.stateDir, onEnd: closeAll, beforeRestore: () => unmountUi()});
	loadInkTable();
	for (let first = true; ; first = false) {
		if (!first) out.write(CLEAR_HOME);
		const outcome = await mountContext({...options, config}, {keymap, theme, out, setUnmount: (f) => (unmountUi = f), setClose: (f) => (closeMounted = f)});
		if (outcome.kind === 'switch') {
			await closeMounted();
			config = outcome.config;
			keymap = outcome.keymap;
			continue;
		}
		if (outcome.kind === 'crash') {
			session.crash(outcome.error);
			session.dispose();
			await closeAll();
			return EXIT.software;
		}
		session.restore();
		session.dispose();
		await closeAll();
		return EXIT.ok;
	}
}

interface MountTools {
	keymap: Keymap;
	theme: Theme;
	out: NodeJS.WriteStream;
	setUnmount(unmount: () => void): void;
	/** What closes this context's data layer (on a signal, a crash, a quit or a switch). */
	setClose(close: () => Promise<void>): void;
}

/** One context on screen, until the user quits, switches to another context, or the UI throws. */
async function mountContext(options: RunConsoleOptions, tools: MountTools): Promise<Mounted> {
	const {config} = options;
	const {keymap, theme, out} = tools;
	const app = createConsoleApp(config);
	const contextName = options.contextLabel ?? contextNameOf(config);
	// The timeline is kept per context; the demo's lives in its throwaway state and goes with it.
	const incident = createConsoleIncident(app, {context: config.contextName ?? options.contextLabel ?? null});
	applyDisabledHints(app.store, options.disabledHints);
	const controls: PollControls = pollControls(app);
	// Actions send through the sources the poller already has; the gate needs the hive's profile first,
	// so the console opens at once and the action keys say "connecting" until it is known.
	const readOnly = readOnlyModeOf(config, options.flags.readOnly === true);
	const sources = consoleActionSources(app, {contextName, readOnly});
	const clipboard = createClipboard({write: (sequence) => void out.write(sequence), stateDir: config.stateDir});
	const controller = new ActionController({...sources, incident: incident.tools, clipboard});
	let closed: Promise<void> | null = null;
	tools.setClose(() => {
		closed ??= (async () => {
			controller.dispose();
			await incident.close().catch(() => undefined);
			await app.close();
		})();
		return closed;
	});
	incident.followGate(sources.gate);
	incident.followPlaybooks(controller.store);
	// Read while the recorder starts: the palette's contexts and the Fleet view both come from these.
	const others = config.contextNames.length > 1 ? resolveContexts(config.contextNames, options.flags) : Promise.resolve([]);
	await incident.recorder.start();
	let settle: (outcome: Mounted) => void = () => undefined;
	const settled = new Promise<Mounted>((resolve) => {
		settle = resolve;
	});
	const contextsRead = await others;
	const choices = contextsRead.map((c) => contextChoice(c, config.contextName));
	const contexts: ContextSwitcher | undefined =
		choices.length > 0
			? {
					choices,
					switchTo: async (name) => {
						try {
							const next = await resolveConfig(switchFlags(options.flags, name));
							settle({kind: 'switch', config: next, keymap: keymapOf(next)});
							return null;
						} catch (error) {
							if (error instanceof ConfigError || error instanceof KeymapError) return error.message;
							return describeError(error);
						}
					},
					openFleet: async () => {
						const members: FleetMember[] = [];
						const unusable: Array<{name: string; why: string}> = [];
						for (const c of contextsRead) {
							try {
								if ('error' in c) throw c.error;
								members.push(fleetMember(c.name, c.config, false));
							} catch (error) {
								unusable.push({name: c.name, why: describeError(error)});
							}
						}
						return watchFleet(members, unusable);
					},
				}
			: undefined;
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
			onQuit={() => settle({kind: 'quit'})}
			demo={options.demo}
			clipboard={clipboard}
			contexts={contexts}
			paletteHistory={paletteHistory(config.stateDir)}
		/>,
		{exitOnCtrlC: false, patchConsole: true, maxFps: 30, stdout: out},
	);
	tools.setUnmount(() => instance.unmount());
	app.poller.start();
	// Out of view, poll slower (or not); back in view, refresh at once. Off with "unfocusedInterval": false.
	const focusPolling = config.unfocusedIntervalMs !== null && process.stdin.isTTY ? createFocusPolling(app, config.unfocusedIntervalMs) : null;
	const disableFocus = focusPolling ? enableFocusReporting(process.stdin, out, (focused) => focusPolling.focus(focused)) : () => undefined;
	let outcome: Mounted;
	try {
		outcome = await Promise.race([settled, instance.waitUntilExit().then((): Mounted => ({kind: 'quit'}))]);
	} catch (error) {
		// A render error: Ink unmounted with it. Same path as any other crash.
		outcome = {kind: 'crash', error};
	}
	instance.unmount();
	disableFocus();
	return outcome;
}
