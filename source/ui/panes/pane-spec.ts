// What a pane is, independent of how it is drawn: its rows from the store's state, its columns, summary
// lines, the tone of a row, and its details view. The generic pane component does the drawing, filtering,
// sorting, selection and windowing, so every pane behaves the same under the same keys.
import type {Assessment, Thresholds} from '../../model/types.js';
import type {HiveConsoleState, SourceName} from '../../contract/snapshot.js';
import type {PaneId} from '../layout.js';
import type {Line} from '../line.js';
import type {Column} from '../table.js';
import type {Theme, Tone} from '../theme.js';

export interface PaneContext {
	state: HiveConsoleState;
	assessment: Assessment | null;
	thresholds: Thresholds | null;
	theme: Theme;
	now: number;
}

export interface DetailView {
	title: string;
	fields: Array<[label: string, value: string]>;
	/** A small static table (consumers of a stream, an agent's tasks): drawn with ink-table. */
	table?: {title: string; rows: Array<Record<string, string>>};
	/** Long text shown in full, wrapped (a query, an error message). */
	text?: {title: string; body: string};
}

export interface PaneSpec<Row> {
	id: PaneId;
	number: number;
	title: string;
	/** Short title for the tab bar. */
	tab: string;
	source: SourceName;
	/** What to do to turn the source on, for the "not configured" line. */
	disabledHint: string;
	columns: Column<Row>[];
	defaultSort: {column: string; descending: boolean};
	/** All rows before filtering and sorting; must depend on the state only (not on the clock). */
	rows(ctx: PaneContext): Row[];
	key(row: Row): string;
	/** Text the `/` filter matches against (case-insensitive). */
	searchText(row: Row): string;
	tone?(row: Row, now: number): Tone;
	/** `width`: the pane's inner width when drawn (a summary may leave out what would not fit whole); absent when only its lines are counted. */
	summary(ctx: PaneContext, width?: number): Line[];
	/** Shown instead of the table when there are no rows (before filtering). */
	empty(ctx: PaneContext): string;
	detail(row: Row, ctx: PaneContext): DetailView;
	/** What `y` copies of a row (an id and name, a stream key, a query's whole text), and how the toast names it. */
	copy?(row: Row): {what: string; text: string};
}

// The generic pane handles any row type; the registry erases it.
export type AnyPaneSpec = PaneSpec<any>;
