import type {PaneId} from '../layout.js';
import {agentsPane} from './agents.js';
import {logsPane} from './logs.js';
import {metricsPane} from './metrics.js';
import type {AnyPaneSpec} from './pane-spec.js';
import {queriesPane} from './queries.js';
import {streamsPane} from './streams.js';
import {tasksPane} from './tasks.js';

export const PANES: Record<PaneId, AnyPaneSpec> = {
	metrics: metricsPane,
	agents: agentsPane,
	tasks: tasksPane,
	streams: streamsPane,
	queries: queriesPane,
	logs: logsPane,
};
