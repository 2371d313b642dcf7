import type * as vscode from 'vscode';
import type { RunEvent } from '../core/events';
import { assertNever } from '../shared/text';
import { formatUsd } from '../shared/money';

const PREVIEW = 400;

/** Writes each run event to the "BudgetML" log channel: one line per step, details at trace level. */
export function logRunEvent(channel: vscode.LogOutputChannel, event: RunEvent): void {
  switch (event.type) {
    case 'run-started':
      channel.info(
        `${event.replay ? 'Replay of recorded model answers: run' : 'Run'} ${event.runId} ${event.resumedFromStep ? `resumed after step ${event.resumedFromStep}` : 'started'} ` +
          `(budget ${formatUsd(event.budgetUsd)}, folder ${event.runDir}): ${event.goal}`,
      );
      break;
    case 'step-started':
      channel.info(`Step ${event.step}`);
      break;
    case 'planned':
      channel.info(`Step ${event.step} · ${event.model} → ${event.action} ${preview(JSON.stringify(event.actionInput))}`);
      channel.trace(`Thought: ${event.thought}`);
      channel.trace(`Research plan: ${event.researchPlan}`);
      break;
    case 'observation':
      channel.info(`Step ${event.step} · ${event.action} observation (${event.observation.length} characters)`);
      channel.debug(preview(event.observation));
      break;
    case 'spend':
      channel.trace(`spend ${formatUsd(event.usd)} of ${formatUsd(event.budgetUsd)}${event.streaming ? ' (streaming)' : ''}`);
      break;
    case 'budget-warning':
      channel.warn(
        `Spend ${formatUsd(event.usd)} has reached ${Math.round((event.usd / event.budgetUsd) * 100)} % of the ${formatUsd(event.budgetUsd)} budget`,
      );
      break;
    case 'escalation':
      channel.warn(`${event.role}: ${event.from} → ${event.to} (${event.reason}; +${formatUsd(event.addedUsd)})`);
      break;
    case 'lifeline':
      channel.info(`Expert help requested: ${event.used} lifeline(s) used, ${event.left} left`);
      break;
    case 'score':
      channel.info(`${event.label === 'baseline' ? 'Baseline' : 'Final'} ${event.metric}: ${event.score ?? 'not measured'}`);
      break;
    case 'experiment-started':
      channel.info(`Experiment #${event.id} (step ${event.step}, ${event.kind}): ${event.command}`);
      break;
    case 'metric':
      channel.trace(`#${event.experiment} ${event.name} = ${event.value}`);
      break;
    case 'experiment': {
      const { id, outcome, metrics, durationMs, error } = event.experiment;
      const shown = Object.entries(metrics)
        .slice(0, 6)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      (outcome === 'ok' ? channel.info : channel.warn).call(
        channel,
        `Experiment #${id} ${outcome} in ${(durationMs / 1000).toFixed(1)} s${shown ? `: ${shown}` : ''}${error ? ` — ${error}` : ''}`,
      );
      break;
    }
    case 'verdict': {
      const { verdict, unverifiedClaims } = event;
      channel.info(
        `Verdict: ${verdict.verdict}${verdict.metric ? ` (${verdict.metric} ${verdict.baseline ?? '?'} → ${verdict.final ?? '?'})` : ''} — ${verdict.reason}`,
      );
      for (const claim of unverifiedClaims) channel.warn(`Unverified claim in the ${claim.where}: ${claim.text} (“${claim.context}”)`);
      break;
    }
    case 'call':
      channel.debug(
        `${event.role} call ${event.model} (${event.purpose}): $${event.usd.toFixed(5)}${event.error ? ` — ${event.error}` : ''}`,
      );
      break;
    case 'warning':
      channel.warn(event.message);
      break;
    case 'call-started':
      channel.trace(`${event.role} call ${event.model} (${event.purpose}) started, at most ${formatUsd(event.worstCaseUsd)}`);
      break;
    case 'user-note':
      channel.info(`Step ${event.step} · the user's note for the planner: ${preview(event.text)}`);
      break;
    case 'expert-quote':
      channel.trace(`Ask the Expert would cost at most ${formatUsd(event.usd)} now`);
      break;
    case 'paused':
      channel.info(`Paused after step ${event.afterStep}: waiting for Continue`);
      break;
    case 'continued':
      channel.info('Continued');
      break;
    case 'script-output':
    case 'reply-progress':
      // progress for the views; the output and the reply are logged whole when they end
      break;
    case 'run-ended':
      (event.status === 'error' ? channel.error : channel.info).call(
        channel,
        `Run ended: ${event.status}${event.message ? ` — ${event.message}` : ''}`,
      );
      break;
    default:
      assertNever(event);
  }
}

function preview(text: string): string {
  return text.length > PREVIEW ? `${text.slice(0, PREVIEW)}…` : text;
}
