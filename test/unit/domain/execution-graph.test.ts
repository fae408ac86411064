import { describe, expect, it } from 'vitest';
import {
  executionGraph,
  type GraphAslDefinition,
  type HistoryEvent,
} from '../../../shared/domain/execution-graph';

const definition: GraphAslDefinition = {
  StartAt: 'Prepare',
  States: {
    Prepare: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Next: 'Fulfil',
      Catch: [{ ErrorEquals: ['OrderOnHold'], Next: 'Held' }],
    },
    Held: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Next: 'Prepare' },
    Fulfil: {
      Type: 'Map',
      Next: 'Done?',
      ItemProcessor: {
        StartAt: 'Pick',
        States: {
          Pick: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Next: 'Ship' },
          Ship: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true },
        },
      },
    },
    'Done?': { Type: 'Choice', Choices: [{ Next: 'Delivered' }], Default: 'Failed' },
    Delivered: { Type: 'Succeed' },
    Failed: { Type: 'Fail' },
  },
};

let id = 0;
const at = (second: number) => `2026-12-06T10:00:${String(second).padStart(2, '0')}.000Z`;
const entered = (name: string, second: number): HistoryEvent => ({
  id: ++id,
  type: 'TaskStateEntered',
  timestamp: at(second),
  stateEnteredEventDetails: { name },
});
const exited = (name: string, second: number): HistoryEvent => ({
  id: ++id,
  type: 'TaskStateExited',
  timestamp: at(second),
  stateExitedEventDetails: { name },
});

const runs = (graph: ReturnType<typeof executionGraph>) =>
  Object.fromEntries(graph.nodes.map((n) => [n.name, n.run]));

describe('execution graph', () => {
  it('draws every state, nested ones under their Map, with each transition: next, choice, default, catch with its errors, and into a branch', () => {
    const graph = executionGraph(definition, [], 'RUNNING');
    expect(graph.nodes.map((n) => [n.name, n.type, n.parent])).toEqual([
      ['Prepare', 'Task', undefined],
      ['Held', 'Task', undefined],
      ['Fulfil', 'Map', undefined],
      ['Pick', 'Task', 'Fulfil'],
      ['Ship', 'Task', 'Fulfil'],
      ['Done?', 'Choice', undefined],
      ['Delivered', 'Succeed', undefined],
      ['Failed', 'Fail', undefined],
    ]);
    expect(graph.edges).toEqual([
      { from: 'Prepare', to: 'Fulfil', kind: 'next' },
      { from: 'Prepare', to: 'Held', kind: 'catch', label: 'OrderOnHold' },
      { from: 'Held', to: 'Prepare', kind: 'next' },
      { from: 'Fulfil', to: 'Done?', kind: 'next' },
      { from: 'Fulfil', to: 'Pick', kind: 'branch' },
      { from: 'Pick', to: 'Ship', kind: 'next' },
      { from: 'Done?', to: 'Delivered', kind: 'choice' },
      { from: 'Done?', to: 'Failed', kind: 'default' },
    ]);
  });

  it('colours a running execution: states left are done, the Map is current, the task waiting on a warehouse callback is waiting, the rest not run', () => {
    const graph = executionGraph(
      definition,
      [entered('Prepare', 1), exited('Prepare', 2), entered('Fulfil', 3), entered('Pick', 4)],
      'RUNNING',
    );
    expect(runs(graph)).toEqual({
      Prepare: 'done',
      Held: 'not-run',
      Fulfil: 'current',
      Pick: 'waiting',
      Ship: 'not-run',
      'Done?': 'not-run',
      Delivered: 'not-run',
      Failed: 'not-run',
    });
    expect(graph.nodes.find((n) => n.name === 'Prepare')).toMatchObject({
      entries: 1,
      enteredAt: at(1),
      exitedAt: at(2),
    });
  });

  it('counts a state entered once per shipment, and keeps it open while one shipment is still in it', () => {
    const graph = executionGraph(
      definition,
      [
        entered('Fulfil', 1),
        entered('Pick', 2),
        entered('Pick', 2),
        exited('Pick', 3),
        entered('Ship', 3),
        exited('Ship', 4),
      ],
      'RUNNING',
    );
    expect(graph.nodes.find((n) => n.name === 'Pick')).toMatchObject({ run: 'waiting', entries: 2 });
    expect(graph.nodes.find((n) => n.name === 'Ship')).toMatchObject({ run: 'done', entries: 1 });
  });

  it('marks where a failed execution stopped as failed, the Map around it included, and a task without a callback as current while it runs', () => {
    const history = [entered('Prepare', 1), exited('Prepare', 2), entered('Fulfil', 3), entered('Ship', 4)];
    expect(runs(executionGraph(definition, history, 'FAILED'))).toMatchObject({
      Prepare: 'done',
      Fulfil: 'failed',
      Ship: 'failed',
      Pick: 'not-run',
    });
    expect(runs(executionGraph(definition, history, 'RUNNING'))).toMatchObject({ Ship: 'current' });
  });

  it('shows a succeeded execution with every state it entered done', () => {
    const graph = executionGraph(
      definition,
      [entered('Prepare', 1), exited('Prepare', 2), entered('Delivered', 3)],
      'SUCCEEDED',
    );
    expect(runs(graph)).toMatchObject({ Prepare: 'done', Delivered: 'done', Fulfil: 'not-run' });
  });
});
