// What the reader is looking at: focused pane, zoom, overlays, and per pane its selection, filter and sort.
// A pure reducer, so keys behave the same in tests and in the terminal. Row counts and page sizes come in
// with the action because only the renderer knows them.
import {PANE_IDS, type PaneId} from './layout.js';
import {PANES} from './panes/index.js';

export interface PaneView {
	selected: number;
	/** Key of the selected row, so a live update that reorders rows keeps the same row selected. */
	selectedKey: string | null;
	filter: string;
	sortColumn: string | null;
	sortDescending: boolean;
}

export interface ViewState {
	focused: PaneId;
	zoomed: boolean;
	help: boolean;
	detail: {pane: PaneId; key: string} | null;
	editingFilter: boolean;
	panes: Record<PaneId, PaneView>;
}

export function initialViewState(): ViewState {
	const panes = Object.fromEntries(
		PANE_IDS.map((id) => [id, {selected: 0, selectedKey: null, filter: '', sortColumn: PANES[id].defaultSort.column || null, sortDescending: PANES[id].defaultSort.descending}]),
	) as Record<PaneId, PaneView>;
	return {focused: 'metrics', zoomed: false, help: false, detail: null, editingFilter: false, panes};
}

export type ViewAction =
	| {type: 'focus'; pane: PaneId}
	| {type: 'focus-step'; step: 1 | -1}
	| {type: 'zoom'}
	| {type: 'help'}
	| {type: 'move'; to: 'up' | 'down' | 'page-up' | 'page-down' | 'top' | 'bottom'; from: number; rowCount: number; pageSize: number; keyAt: (index: number) => string | null}
	| {type: 'open-detail'; pane: PaneId; key: string | null}
	| {type: 'escape'}
	| {type: 'filter-start'}
	| {type: 'filter-input'; text: string}
	| {type: 'filter-backspace'}
	| {type: 'filter-accept'}
	| {type: 'sort-next'; visible?: string[]}
	| {type: 'sort-reverse'}
	| {type: 'sync-selection'; pane: PaneId; selected: number; key: string | null};

function updatePane(state: ViewState, pane: PaneId, patch: Partial<PaneView>): ViewState {
	return {...state, panes: {...state.panes, [pane]: {...state.panes[pane], ...patch}}};
}

export function viewReducer(state: ViewState, action: ViewAction): ViewState {
	const pane = state.focused;
	const view = state.panes[pane];
	switch (action.type) {
		case 'focus':
			return {...state, focused: action.pane, detail: null};
		case 'focus-step': {
			const i = PANE_IDS.indexOf(pane);
			return {...state, focused: PANE_IDS[(i + action.step + PANE_IDS.length) % PANE_IDS.length]!, detail: null};
		}
		case 'zoom':
			return {...state, zoomed: !state.zoomed};
		case 'help':
			return {...state, help: !state.help};
		case 'move': {
			if (action.rowCount === 0) return state;
			const last = action.rowCount - 1;
			const page = Math.max(1, action.pageSize);
			const target = {
				up: action.from - 1,
				down: action.from + 1,
				'page-up': action.from - page,
				'page-down': action.from + page,
				top: 0,
				bottom: last,
			}[action.to];
			const selected = Math.max(0, Math.min(last, target));
			const key = action.keyAt(selected);
			const moved = updatePane(state, pane, {selected, selectedKey: key});
			// An open details view follows the selection, so arrows page through agents one by one.
			return state.detail && state.detail.pane === pane && key !== null ? {...moved, detail: {pane, key}} : moved;
		}
		case 'open-detail':
			return action.key === null ? state : {...state, detail: {pane: action.pane, key: action.key}};
		case 'escape':
			if (state.help) return {...state, help: false};
			if (state.detail) return {...state, detail: null};
			return updatePane({...state, editingFilter: false}, pane, {filter: '', selected: 0, selectedKey: null});
		case 'filter-start':
			return {...state, editingFilter: true, help: false, detail: null};
		case 'filter-input':
			return updatePane(state, pane, {filter: view.filter + action.text, selected: 0, selectedKey: null});
		case 'filter-backspace':
			return updatePane(state, pane, {filter: [...view.filter].slice(0, -1).join(''), selected: 0, selectedKey: null});
		case 'filter-accept':
			return {...state, editingFilter: false};
		case 'sort-next': {
			// Only columns on screen: sorting by a column the pane is too narrow to show would look random.
			const sortable = PANES[pane].columns.filter((c) => c.sortKey && (!action.visible || action.visible.includes(c.id))).map((c) => c.id);
			if (sortable.length === 0) return state;
			const next = sortable[(sortable.indexOf(view.sortColumn ?? '') + 1) % sortable.length]!;
			return updatePane(state, pane, {sortColumn: next, sortDescending: false});
		}
		case 'sort-reverse':
			return updatePane(state, pane, {sortDescending: !view.sortDescending, sortColumn: view.sortColumn ?? PANES[pane].columns.find((c) => c.sortKey)?.id ?? null});
		case 'sync-selection': {
			const current = state.panes[action.pane];
			if (current.selected === action.selected && current.selectedKey === action.key) return state;
			return updatePane(state, action.pane, {selected: action.selected, selectedKey: action.key});
		}
	}
}
