import * as vscode from 'vscode';
import type { FromWebview, SidebarIntent } from '../../shared/protocol';
import { emptySidebarView, type SidebarView } from '../../shared/viewModels';
import { loadAgentCore } from '../agentCoreLoader';
import { Disposable } from '../disposable';
import { newNonce, SIDEBAR_STYLESHEETS, sidebarHtml } from './sidebarHtml';
import { messageFor } from './viewDiff';

export const SIDEBAR_VIEW_ID = 'budgetml.sidebar';

export interface RenderTiming {
  /** from the webview script's start to its first panels laid out */
  ms: number;
  /** of which drawing the panels took */
  drawMs: number;
  source: 'restored' | 'page' | 'host';
}

/**
 * The "Agent" view of the BudgetML container. It shows the last view it was given, answers the
 * webview's `ready` with the whole of it, and passes on what the user asks for as `onIntent`,
 * after checking every message against the protocol schema.
 */
export class SidebarProvider extends Disposable implements vscode.WebviewViewProvider {
  private webviewView: vscode.WebviewView | undefined;
  private viewListeners: vscode.Disposable[] = [];
  private last: SidebarView = emptySidebarView();
  /** what the webview shows now; undefined until it said `ready` */
  private shown: SidebarView | undefined;
  private ready = false;
  /** messages are handled one after another, in the order the webview sent them */
  private inbox: Promise<void> = Promise.resolve();

  private readonly _onIntent = this._register(new vscode.EventEmitter<SidebarIntent>());
  /** Start, Stop, Accept, Reject, Ask the expert, open an artifact, show the plan history */
  readonly onIntent = this._onIntent.event;
  private readonly _onDidRender = this._register(new vscode.EventEmitter<RenderTiming>());
  /** the webview drew its panels: time from its script start */
  readonly onDidRender = this._onDidRender.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: (message: string) => void,
  ) {
    super();
    this._register(new vscode.Disposable(() => this.releaseView()));
  }

  resolveWebviewView(webviewView: vscode.WebviewView): void {
    console.log(`SBDBG resolve visible=${webviewView.visible}`);
    this.releaseView();
    this.webviewView = webviewView;
    const { webview } = webviewView;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    webview.html = sidebarHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUris: SIDEBAR_STYLESHEETS.map((name) => webview.asWebviewUri(vscode.Uri.joinPath(media, name)).toString()),
      nonce: newNonce(),
      initialView: this.last,
    });
    this.viewListeners = [
      webview.onDidReceiveMessage((message: unknown) => void this.receive(message)),
      webviewView.onDidDispose(() => { console.log('SBDBG dispose'); this.releaseView(); }),
      webviewView.onDidChangeVisibility(() => console.log(`SBDBG visibility ${webviewView.visible}`)),
    ];
  }

  /** Shows this view (now, or as soon as the webview is ready). */
  update(view: SidebarView): void {
    this.last = view;
    this.push();
  }

  get current(): SidebarView {
    return this.last;
  }

  /** What the webview shows now (as far as the host knows); undefined until it said `ready`. */
  get delivered(): SidebarView | undefined {
    return this.shown;
  }

  private push(): void {
    if (!this.webviewView || !this.ready) return void console.log(`SBDBG push skipped view=${!!this.webviewView} ready=${this.ready}`);
    const message = messageFor(this.shown, this.last);
    if (!message) return;
    this.shown = this.last;
    this.webviewView.webview.postMessage(message).then(
      (delivered) => {
        console.log(`SBDBG posted ${message.type} delivered=${delivered}`);
        if (!delivered) this.shown = undefined;
      },
      (error: unknown) => this.log(`the sidebar did not take an update: ${String(error)}`),
    );
  }

  /**
   * Every message from the webview comes through here. It is checked against the protocol schema
   * (loaded with the agent core, so zod stays out of activation); anything else is logged and ignored.
   */
  receive(raw: unknown): Promise<void> {
    console.log(`SBDBG received ${JSON.stringify(raw).slice(0, 100)}`);
    this.inbox = this.inbox.then(() => this.handle(raw));
    return this.inbox;
  }

  private async handle(raw: unknown): Promise<void> {
    try {
      const parsed = (await loadAgentCore()).parseFromWebview(raw);
      if (!parsed.ok) return this.log(`ignored a malformed message from the sidebar: ${parsed.error}`);
      const message = parsed.message;
      if (message.type === 'ready') this.onReady();
      else if (message.type === 'rendered') this._onDidRender.fire({ ms: message.ms, drawMs: message.drawMs, source: message.source });
      else if (isIntent(message)) this._onIntent.fire(message);
    } catch (error) {
      this.log(`a message from the sidebar failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** The webview (re)loaded: whatever it restored from its own state, it gets the whole view. */
  private onReady(): void {
    this.ready = true;
    this.shown = undefined;
    this.push();
  }

  private releaseView(): void {
    console.log('SBDBG release');
    for (const listener of this.viewListeners.splice(0)) listener.dispose();
    this.webviewView = undefined;
    this.ready = false;
    this.shown = undefined;
  }
}

function isIntent(message: FromWebview): message is SidebarIntent {
  return message.type !== 'ready' && message.type !== 'rendered';
}
