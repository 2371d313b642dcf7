import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import { hunkFingerprint, type EditReview } from './editReview';
import { PROPOSAL_SCHEME } from './proposalFs';

/** "Accept change / Reject change" above every hunk of a proposal. */
export class HunkCodeLens extends Disposable implements vscode.CodeLensProvider {
  private readonly _onDidChangeCodeLenses = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this._onDidChangeCodeLenses.event;

  constructor(private readonly review: EditReview) {
    super();
    this._register(review.onDidChange(() => this._onDidChangeCodeLenses.fire()));
    this._register(vscode.languages.registerCodeLensProvider({ scheme: PROPOSAL_SCHEME }, this));
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const hunks = await this.review.hunks(document.uri);
    const uri = document.uri.toString();
    return hunks.flatMap((hunk) => {
      const line = Math.min(hunk.rightLine, Math.max(document.lineCount - 1, 0));
      const range = new vscode.Range(line, 0, line, 0);
      const args = [uri, hunk.index, hunkFingerprint(hunk)];
      const [accept, reject] = !hunk.right.text
        ? [vscode.l10n.t('Accept deletion'), vscode.l10n.t('Reject deletion')]
        : !hunk.left.text
          ? [vscode.l10n.t('Accept addition'), vscode.l10n.t('Reject addition')]
          : [vscode.l10n.t('Accept change'), vscode.l10n.t('Reject change')];
      return [
        new vscode.CodeLens(range, { title: `$(check) ${accept}`, command: 'budgetml.acceptHunk', arguments: args }),
        new vscode.CodeLens(range, { title: `$(discard) ${reject}`, command: 'budgetml.rejectHunk', arguments: args }),
      ];
    });
  }
}
