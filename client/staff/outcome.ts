import type { ActionOutcome } from '../offline/tablet.ts';
import { explainRefusal } from './refusal.ts';

/** The words offline actions get from the first moment (issue 22 §2): they are saved here. */
export const SAVED_OFFLINE_TEXT =
  'Offline: saved on this tablet. It is sent to the server when the tablet is back online.';

/** The words for an action's outcome, in place where staff acted (issue 8.2). */
export function describeOutcome(
  outcome: ActionOutcome,
  done: string,
): { kind: 'ok' | 'error'; text: string } {
  switch (outcome.kind) {
    case 'done':
      return { kind: 'ok', text: done };
    case 'queued':
      return {
        kind: 'ok',
        text: outcome.offline
          ? SAVED_OFFLINE_TEXT
          : 'Saved on this tablet. The server has not answered yet; it is sent again until it does.',
      };
    case 'not-allowed':
      return { kind: 'error', text: outcome.reason };
    case 'refused': {
      const { text, advice } = explainRefusal(outcome, outcome.seenAvailable);
      return { kind: 'error', text: `${text} ${advice}` };
    }
  }
}
