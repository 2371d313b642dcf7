import * as vscode from 'vscode';
import type { DecisionView } from '../../shared/viewModels';
import { Disposable } from '../disposable';
import type { Choice, DecisionBoard, PendingDecision } from './decisionBoard';

/** The command the notification's links and Cancel button answer with: `budgetml.decide(id, choice)`. */
export const DECIDE_COMMAND = 'budgetml.decide';

/**
 * Announces each decision in a notification that closes by itself once the decision leaves the
 * board (answered anywhere, or the run stopped): a progress notification lasts as long as its
 * promise. Its links answer; its Cancel button declines or rejects (asking why).
 */
export class DecisionNotice extends Disposable {
  constructor(board: DecisionBoard) {
    super();
    this._register(board.onDidPost((posted) => this.announce(posted)));
  }

  private announce({ view, closed }: PendingDecision & { closed: Promise<void> }): void {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: noticeTitle(view), cancellable: true },
      (_progress, token) => {
        const cancel = token.onCancellationRequested(() => void decideCommand(view.id, view.kind === 'run' ? 'decline' : 'reject'));
        return closed.finally(() => cancel.dispose());
      },
    );
  }
}

function noticeTitle(view: DecisionView): string {
  const link = (label: string, choice: Choice) => `[${label}](${commandUri(DECIDE_COMMAND, [view.id, choice])})`;
  const sidebar = `[${vscode.l10n.t('Show in Sidebar')}](${commandUri('budgetml.showSpend', [])})`;
  if (view.kind === 'run') {
    return vscode.l10n.t(
      'BudgetML wants to run {0} in {1}. {2} · {3} · {4}',
      `“${plain(view.command)}”`,
      plain(view.folder),
      link(vscode.l10n.t('Run'), 'run'),
      link(vscode.l10n.t('Decline'), 'decline'),
      sidebar,
    );
  }
  const diff = `[${vscode.l10n.t('Show Diff')}](${commandUri('budgetml.openDecision', [view.id])})`;
  return vscode.l10n.t(
    'BudgetML proposes an edit to {0} (+{1} −{2}). {3} · {4} · {5}',
    plain(view.file),
    view.added,
    view.removed,
    diff,
    link(vscode.l10n.t('Accept'), 'accept'),
    link(vscode.l10n.t('Reject'), 'reject'),
  );
}

function commandUri(command: string, args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}

function decideCommand(id: string, choice: Choice): Thenable<unknown> {
  return vscode.commands.executeCommand(DECIDE_COMMAND, id, choice);
}

/**
 * Text the model chose (a command, a file name) without the characters of a markdown link, so that it
 * cannot show a link of its own ("[Reject](command:…accept…)") among the notification's.
 */
function plain(text: string): string {
  return text.replace(/\[/g, '‹').replace(/\]/g, '›');
}
