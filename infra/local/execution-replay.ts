import { createHash } from 'node:crypto';
import type { HistoryEvent } from './execution-journal';

/** What the local cloud adds to a TaskScheduled event so a resumed run can recognise the task. */
export interface LocalTaskMark {
  /** The state's name and a digest of its input before the token is filled in. */
  key: string;
  token?: string;
}

export type TaskOutcome =
  | { type: 'TaskSucceeded'; output: unknown }
  | { type: 'TaskFailed' | 'TaskTimedOut'; error: string; cause: string };

/** One task a previous run scheduled, as its history tells it. */
export interface RecordedTask {
  stateName: string;
  key: string;
  token?: string;
  /** Epoch ms: when the task times out, counted from when it was first scheduled. */
  deadline: number;
  heartbeatSeconds?: number;
  submitted: boolean;
  /** The last history event of this task, which the next one points back to. */
  lastEventId: number;
  outcome?: TaskOutcome;
}

const OUTCOMES = new Set(['TaskSucceeded', 'TaskFailed', 'TaskTimedOut']);
/** A task's own events, after its TaskScheduled (the Task state's Entered/Exited events are not). */
const TASK_EVENTS = new Set(['TaskScheduled', 'TaskStarted', 'TaskSubmitted', ...OUTCOMES]);

export function taskKey(stateName: string, rawInput: unknown): string {
  return `${stateName}#${createHash('sha256')
    .update(JSON.stringify(rawInput ?? null))
    .digest('base64url')}`;
}

/** The same event without what differs from run to run (ids, time), to compare a replay with history. */
function signature(type: string, details: Record<string, unknown>): string {
  return `${type}${JSON.stringify(details)}`;
}

/**
 * A resumed execution runs its definition again from its input, and this replays what the
 * history already holds: tasks that ended give their recorded outcome without being called,
 * waits still open are armed again under their recorded tokens, and the state events the
 * replay goes through again are not recorded twice. Tasks are keyed by state and input plus
 * their turn (the same state with the same input a second time is the next recorded one), which
 * the interpreter reproduces exactly because everything else it does is deterministic.
 */
export class ExecutionReplay {
  private readonly tasks = new Map<string, RecordedTask[]>();
  private readonly seenEvents = new Map<string, number>();

  constructor(history: HistoryEvent[]) {
    const byId = new Map(history.map((e) => [e.id, e]));
    const recorded = new Map<number, RecordedTask>();
    for (const event of history) {
      if (event.type === 'TaskScheduled') {
        const task = fromScheduled(event);
        if (task) {
          recorded.set(event.id, task);
          const queue = this.tasks.get(task.key) ?? [];
          queue.push(task);
          this.tasks.set(task.key, queue);
        }
        continue;
      }
      if (TASK_EVENTS.has(event.type)) {
        const task = recorded.get(scheduledIdOf(event, byId) ?? -1);
        if (!task) continue;
        task.lastEventId = event.id;
        if (event.type === 'TaskSubmitted') task.submitted = true;
        if (OUTCOMES.has(event.type)) task.outcome = outcomeOf(event);
        continue;
      }
      const { id: _id, previousEventId: _p, timestamp: _t, type, ...details } = event;
      const key = signature(type, details);
      this.seenEvents.set(key, (this.seenEvents.get(key) ?? 0) + 1);
    }
  }

  /**
   * The replay of a redriven execution: as a resumed one, except that the task whose failure
   * ended the execution (its last failed attempts) is forgotten, so it runs again.
   */
  static forRedrive(history: HistoryEvent[]): ExecutionReplay {
    const replay = new ExecutionReplay(history);
    const end = history.findLastIndex((e) => /^Execution(Failed|TimedOut|Aborted)$/.test(e.type));
    const failed = history
      .slice(0, end < 0 ? history.length : end)
      .findLast((e) => OUTCOMES.has(e.type) && e.type !== 'TaskSucceeded');
    const byId = new Map(history.map((e) => [e.id, e]));
    const scheduled = failed ? byId.get(scheduledIdOf(failed, byId) ?? -1) : undefined;
    const key = (scheduled?.localTask as LocalTaskMark | undefined)?.key;
    const queue = key ? replay.tasks.get(key) : undefined;
    while (queue?.length && queue.at(-1)?.outcome && queue.at(-1)?.outcome?.type !== 'TaskSucceeded')
      queue.pop();
    return replay;
  }

  /** Waits a previous run left open: the resumed run answers them under the same tokens. */
  openWaits(): RecordedTask[] {
    return [...this.tasks.values()].flat().filter((t) => t.token !== undefined && !t.outcome);
  }

  /** The recorded task at this turn of the state with this input, if the history has one. */
  take(key: string): RecordedTask | undefined {
    return this.tasks.get(key)?.shift();
  }

  /** True (and counted off) when the history already holds this interpreter event. */
  replays(type: string, details: Record<string, unknown>): boolean {
    const key = signature(type, details);
    const left = this.seenEvents.get(key) ?? 0;
    if (left === 0) return false;
    this.seenEvents.set(key, left - 1);
    return true;
  }
}

function fromScheduled(event: HistoryEvent): RecordedTask | undefined {
  const mark = event.localTask as LocalTaskMark | undefined;
  const details = event.taskScheduledEventDetails as
    | { timeoutInSeconds?: number; heartbeatInSeconds?: number }
    | undefined;
  if (!mark || details?.timeoutInSeconds === undefined) return undefined;
  return {
    stateName: mark.key.slice(0, mark.key.lastIndexOf('#')),
    key: mark.key,
    ...(mark.token ? { token: mark.token } : {}),
    deadline: event.timestamp * 1000 + details.timeoutInSeconds * 1000,
    ...(details.heartbeatInSeconds === undefined ? {} : { heartbeatSeconds: details.heartbeatInSeconds }),
    submitted: false,
    lastEventId: event.id,
  };
}

/** A task's events point back along their own chain (TaskStarted to TaskScheduled, and so on). */
function scheduledIdOf(event: HistoryEvent, byId: Map<number, HistoryEvent>): number | undefined {
  let current: HistoryEvent | undefined = event;
  for (let hops = 0; current && hops < 8; hops++) {
    if (current.type === 'TaskScheduled') return current.id;
    if (!TASK_EVENTS.has(current.type)) return undefined;
    current = byId.get(current.previousEventId);
  }
  return undefined;
}

function outcomeOf(event: HistoryEvent): TaskOutcome {
  if (event.type === 'TaskSucceeded') {
    const details = event.taskSucceededEventDetails as { output?: string } | undefined;
    return { type: 'TaskSucceeded', output: JSON.parse(details?.output ?? 'null') };
  }
  const details = (event.taskFailedEventDetails ?? event.taskTimedOutEventDetails) as
    | { error?: string; cause?: string }
    | undefined;
  return {
    type: event.type as 'TaskFailed' | 'TaskTimedOut',
    error: details?.error ?? 'States.TaskFailed',
    cause: details?.cause ?? '',
  };
}
