// Frame predicates shared by the action tests.
/** No action view is open: the panes are back. */
export const notModal = /1 Metrics vs thresholds/;
