/**
 * An order's workflow as ops see it: the state machine's states and transitions, each state
 * coloured by what the execution's history says happened to it. Works on the shapes the Step
 * Functions API answers (DescribeStateMachineForExecution's definition, GetExecutionHistory's
 * events), so the same function serves AWS and the local cloud.
 */

/** The part of an Amazon States Language state the graph reads. */
export interface GraphAslState {
  Type: string;
  Resource?: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: ReadonlyArray<{ Next?: string }>;
  Catch?: ReadonlyArray<{ Next?: string; ErrorEquals?: readonly string[] }>;
  Branches?: readonly GraphAslDefinition[];
  Iterator?: GraphAslDefinition;
  ItemProcessor?: GraphAslDefinition;
  Comment?: string;
}

export interface GraphAslDefinition {
  StartAt: string;
  States: Record<string, GraphAslState>;
}

/** A history event, as GetExecutionHistory answers it (only the fields read here). */
export interface HistoryEvent {
  id: number;
  type: string;
  timestamp: string | number | Date;
  stateEnteredEventDetails?: { name?: string };
  stateExitedEventDetails?: { name?: string };
  /** The other details of the event (task, error, input and output), kept for ops to read. */
  [detail: string]: unknown;
}

export type ExecutionStatus =
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMED_OUT'
  | 'ABORTED'
  | 'PENDING_REDRIVE';

/**
 * done: entered and left; current: entered, not left, running; waiting: the current state is a
 * task waiting for a callback (a warehouse, a carrier, ops); failed: where a stopped execution
 * was when it failed, timed out or was aborted (the state, and any Map or Parallel around it);
 * not-run: never entered.
 */
export type StateRun = 'done' | 'current' | 'waiting' | 'failed' | 'not-run';

export interface GraphNode {
  name: string;
  type: string;
  /** The Map or Parallel state it runs inside, if any. */
  parent?: string;
  run: StateRun;
  /** Times entered (a Map's inner states once per shipment, a retried branch again). */
  entries: number;
  enteredAt?: string;
  exitedAt?: string;
}

export type EdgeKind = 'next' | 'choice' | 'default' | 'catch' | 'branch';

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** The errors a catch edge takes. */
  label?: string;
}

export interface ExecutionGraph {
  status: ExecutionStatus;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

const STOPPED: ReadonlySet<ExecutionStatus> = new Set(['FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']);

function iso(timestamp: HistoryEvent['timestamp']): string {
  return (timestamp instanceof Date ? timestamp : new Date(timestamp)).toISOString();
}

/** States and transitions of a definition, nested ones included, in the definition's order. */
function structure(definition: GraphAslDefinition, parent?: string) {
  const nodes: Array<Pick<GraphNode, 'name' | 'type' | 'parent'> & { waitsForCallback: boolean }> = [];
  const edges: GraphEdge[] = [];
  for (const [name, state] of Object.entries(definition.States)) {
    nodes.push({
      name,
      type: state.Type,
      ...(parent ? { parent } : {}),
      waitsForCallback: state.Resource?.endsWith('.waitForTaskToken') ?? false,
    });
    if (state.Next) edges.push({ from: name, to: state.Next, kind: 'next' });
    for (const choice of state.Choices ?? [])
      if (choice.Next) edges.push({ from: name, to: choice.Next, kind: 'choice' });
    if (state.Default) edges.push({ from: name, to: state.Default, kind: 'default' });
    for (const handler of state.Catch ?? [])
      if (handler.Next)
        edges.push({
          from: name,
          to: handler.Next,
          kind: 'catch',
          ...(handler.ErrorEquals ? { label: handler.ErrorEquals.join(', ') } : {}),
        });
    const inner = [...(state.Branches ?? []), state.Iterator, state.ItemProcessor].filter(
      (d): d is GraphAslDefinition => d !== undefined,
    );
    for (const branch of inner) {
      edges.push({ from: name, to: branch.StartAt, kind: 'branch' });
      const nested = structure(branch, name);
      nodes.push(...nested.nodes);
      edges.push(...nested.edges);
    }
  }
  return { nodes, edges };
}

/** The graph of `definition` with each state's run read off `history` (oldest event first). */
export function executionGraph(
  definition: GraphAslDefinition,
  history: readonly HistoryEvent[],
  status: ExecutionStatus,
): ExecutionGraph {
  const { nodes, edges } = structure(definition);
  const seen = new Map<string, { entered: number; exited: number; enteredAt?: string; exitedAt?: string }>();
  for (const event of history) {
    const entered = event.stateEnteredEventDetails?.name;
    const exited = event.stateExitedEventDetails?.name;
    const name = entered ?? exited;
    if (!name) continue;
    const record = seen.get(name) ?? { entered: 0, exited: 0 };
    if (entered) {
      record.entered++;
      record.enteredAt = iso(event.timestamp);
    } else {
      record.exited++;
      record.exitedAt = iso(event.timestamp);
    }
    seen.set(name, record);
  }
  const stopped = STOPPED.has(status);
  return {
    status,
    edges,
    nodes: nodes.map(({ waitsForCallback, ...node }) => {
      const record = seen.get(node.name);
      const open = record !== undefined && record.entered > record.exited;
      const run: StateRun = !record
        ? 'not-run'
        : !open || status === 'SUCCEEDED'
          ? 'done'
          : stopped
            ? 'failed'
            : waitsForCallback
              ? 'waiting'
              : 'current';
      return {
        ...node,
        run,
        entries: record?.entered ?? 0,
        ...(record?.enteredAt ? { enteredAt: record.enteredAt } : {}),
        ...(record?.exitedAt ? { exitedAt: record.exitedAt } : {}),
      };
    }),
  };
}
