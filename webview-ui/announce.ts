import type { SidebarView } from '../src/shared/viewModels';

/**
 * What the screen reader hears when the view changes: only changes of state (a run started or ended,
 * the run waits for you, it paused, a decision was made). Spend and elapsed time are never announced.
 */
export function announcement(before: SidebarView | undefined, after: SidebarView): string | null {
  const was = before?.run;
  const run = after.run;
  if (!run) return null;
  if (run.status === 'running' && (was?.id !== run.id || was.status !== 'running')) return `Run started: ${run.goal}`;
  if (run.status !== 'running') return was?.status === 'running' && was.id === run.id ? `Run ended: ${ended(after)}` : null;
  const decision = after.decision;
  if (decision && decision.id !== before?.decision?.id) {
    return decision.kind === 'run'
      ? `Waiting for you: run ${decision.command}? (step ${decision.step})`
      : `Waiting for you: apply the edit to ${decision.file}? (step ${decision.step})`;
  }
  if (!decision && before?.decision) return 'Decision made; the run goes on';
  if (run.paused && !was?.paused) return `Paused after step ${run.step}`;
  if (!run.paused && was?.paused) return 'Continued';
  return null;
}

function ended(view: SidebarView): string {
  const status = view.run?.status;
  const words: Record<string, string> = {
    final_answer: 'finished',
    max_steps: 'step limit reached',
    budget_exhausted: 'stopped: the budget cannot pay for the next step',
    cancelled: 'stopped',
    error: 'failed',
    interrupted: 'interrupted',
  };
  return words[status ?? ''] ?? status ?? '';
}
