/**
 * A small state machine over a record that has a status and some "done once" marks, the shape
 * both pickup holds and bookings have. The rules are plain data so that the Lua scripts get
 * the very same table (lua-script.ts hands it to them as a constant) and tests can compare
 * what a script did with what `decideStep` says.
 */
export interface StepRule<Status extends string, Mark extends string> {
  /** Statuses the step may start from; 'any' for a step that records a mark whatever the status. */
  from: readonly Status[] | 'any';
  /** The status after the step; absent when the step only records marks. */
  to?: Status;
  /** Statuses in which the step was already taken: a repeat answers ok and changes nothing. */
  doneIn?: readonly Status[];
  /** The mark that says the step was already taken (checked after `from`). */
  doneWhen?: Mark;
  /** Marks the step records (each only if not yet set). */
  marks?: readonly Mark[];
}

export type StepRules<Status extends string, Step extends string, Mark extends string> = {
  readonly [S in Step]: StepRule<Status, Mark>;
};

/** What a step does to a record: the decision a script must take, and the test checks. */
export type StepDecision<Status extends string, Mark extends string> =
  | { kind: 'unchanged' }
  | { kind: 'refused'; status: Status }
  | { kind: 'moved'; status: Status; marks: Mark[] };

/**
 * Decides one step. Order matters and is the scripts' order too: a repeat in a done status is
 * fine; a status the step cannot start from refuses; a repeat by mark is fine; else it moves.
 */
export function decideStep<Status extends string, Step extends string, Mark extends string>(
  rules: StepRules<Status, Step, Mark>,
  record: { status: Status; marks: ReadonlySet<Mark> },
  step: Step,
): StepDecision<Status, Mark> {
  const rule: StepRule<Status, Mark> = rules[step];
  if (rule.doneIn?.includes(record.status)) return { kind: 'unchanged' };
  if (rule.from !== 'any' && !rule.from.includes(record.status)) {
    return { kind: 'refused', status: record.status };
  }
  if (rule.doneWhen !== undefined && record.marks.has(rule.doneWhen)) return { kind: 'unchanged' };
  return {
    kind: 'moved',
    status: rule.to ?? record.status,
    marks: (rule.marks ?? []).filter((mark) => !record.marks.has(mark)),
  };
}

/** Whether a step would change or confirm the record (not refuse it): what a UI offers. */
export function isStepAllowed<Status extends string, Step extends string, Mark extends string>(
  rules: StepRules<Status, Step, Mark>,
  record: { status: Status; marks: ReadonlySet<Mark> },
  step: Step,
): boolean {
  return decideStep(rules, record, step).kind !== 'refused';
}
