import * as vscode from 'vscode';
import type { FromWebview, SidebarIntent } from '../../shared/protocol';
import { emptySidebarView, type SidebarView } from '../../shared/viewModels';
import { loadAgentCore } from '../agentCoreLoader';
import { Disposable } from '../disposable';
import { newNonce, SIDEBAR_STYLESHEETS, sidebarHtml } from './sidebarHtml';
import { messageFor } from './viewDiff';

export const SIDEBAR_VIEW_ID = 'budgetml.sidebar';

/** How long a page of the view gets to say `ready` before it is written again; doubled on each try, up to a minute. */
const PAGE_READY_TIMEOUT_MS = 5000;
const PAGE_READY_TIMEOUT_MAX_MS = 60000;

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
 *
 * The page goes away whenever the view is hidden (collapsed, another view container shown) and
 * the workbench loads it again when it is shown; each load must say `ready` before it gets the
 * view. A load can fail outright: in VS Code for the Web (code-server) every webview shares one
 * service worker, which a webview opening elsewhere replaces, and a page loading at that moment
 * can lose its script; it stays blank and never says `ready`. So a page that has not said `ready`
 * a few seconds after it started loading is written again.
 */
export class SidebarProvider extends Disposable implements vscode.WebviewViewProvider {
  private webviewView: vscode.WebviewView | undefined;
  private viewListeners: vscode.Disposable[] = [];
  private last: SidebarView = emptySidebarView();
  /** what the webview shows now; undefined until its page said `ready` */
  private shown: SidebarView | undefined;
  /** the current page said `ready` */
  private ready = false;
  /** counts the loads of the page: a `ready` from one that is gone is not taken for the current one */
  private page = 0;
  /** writes the page again when it does not say `ready` in time */
  private watchdog: NodeJS.Timeout | undefined;
  /** loads in a row that did not say `ready` in time */
  private failedLoads = 0;
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
    this.releaseView();
    this.webviewView = webviewView;
    const { webview } = webviewView;
    webview.options = { enableScripts: true, localResourceRoots: [this.dist, this.media] };
    this.viewListeners = [
      // the load a message came from is the current one when it arrives (events come in order)
      webview.onDidReceiveMessage((message: unknown) => void this.receive(message)),
      webviewView.onDidChangeVisibility(() => this.pageReloads()),
      webviewView.onDidDispose(() => this.releaseView()),
    ];
    this.writePage();
  }

  /** Shows this view (now, or as soon as the webview is ready). */
  update(view: SidebarView): void {
    this.last = view;
    this.push();
  }

  get current(): SidebarView {
    return this.last;
  }

  /** What the page shows now: undefined while it loads (or is hidden) and until it said `ready`. */
  get delivered(): SidebarView | undefined {
    return this.shown;
  }

  private get dist(): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'dist');
  }

  private get media(): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'media');
  }

  /** (Re)writes the page, with the current view in it; a new nonce makes it a new page. */
  private writePage(): void {
    const webview = this.webviewView?.webview;
    if (!webview) return;
    this.newPage();
    webview.html = sidebarHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.dist, 'webview.js')).toString(),
      styleUris: SIDEBAR_STYLESHEETS.map((name) => webview.asWebviewUri(vscode.Uri.joinPath(this.media, name)).toString()),
      nonce: newNonce(),
      initialView: this.last,
    });
    this.expectReady();
  }

  /** Hidden, the page is gone; shown, the workbench loads it again (the view keeps no context while hidden). */
  private pageReloads(): void {
    this.newPage();
    this.expectReady();
  }

  /** From here on the webview shows nothing of ours until a new page says `ready`. */
  private newPage(): void {
    this.page++;
    this.ready = false;
    this.shown = undefined;
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
  }

  /** While the view is visible, a page that does not say `ready` in time is written again. */
  private expectReady(): void {
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
    if (this.ready || !this.webviewView?.visible) return;
    const page = this.page;
    const wait = Math.min(PAGE_READY_TIMEOUT_MS * 2 ** this.failedLoads, PAGE_READY_TIMEOUT_MAX_MS);
    this.watchdog = setTimeout(() => {
      this.watchdog = undefined;
      if (this.page !== page || this.ready || !this.webviewView?.visible) return;
      this.failedLoads++;
      this.log(`the sidebar page did not start within ${wait / 1000} s (its script did not load); loading it again`);
      this.writePage();
    }, wait);
  }

  private push(): void {
    if (!this.webviewView || !this.ready) return;
    const message = messageFor(this.shown, this.last);
    if (!message) return;
    this.shown = this.last;
    const page = this.page;
    this.webviewView.webview.postMessage(message).then(
      (delivered) => {
        if (!delivered && this.page === page) this.shown = undefined;
      },
      (error: unknown) => this.log(`the sidebar did not take an update: ${String(error)}`),
    );
  }

  /**
   * Every message from the webview comes through here. It is checked against the protocol schema
   * (loaded with the agent core, so zod stays out of activation); anything else is logged and ignored.
   */
  receive(raw: unknown): Promise<void> {
    const page = this.page;
    // the page's script runs: no need to write it again, even before the message is checked
    if (isReady(raw)) {
      clearTimeout(this.watchdog);
      this.watchdog = undefined;
    }
    this.inbox = this.inbox.then(() => this.handle(raw, page));
    return this.inbox;
  }

  private async handle(raw: unknown, page: number): Promise<void> {
    try {
      const parsed = (await loadAgentCore()).parseFromWebview(raw);
      if (!parsed.ok) return this.log(`ignored a malformed message from the sidebar: ${parsed.error}`);
      const message = parsed.message;
      if (message.type === 'ready') this.onReady(page);
      else if (message.type === 'rendered') this._onDidRender.fire({ ms: message.ms, drawMs: message.drawMs, source: message.source });
      else if (isIntent(message)) this._onIntent.fire(message);
    } catch (error) {
      this.log(`a message from the sidebar failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** A page (re)loaded: whatever it restored from its own state, it gets the whole view. */
  private onReady(page: number): void {
    // a page that has since gone (hidden, written again) said it: the current one will say it too
    if (page !== this.page || !this.webviewView) return;
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
    this.failedLoads = 0;
    this.ready = true;
    this.shown = undefined;
    this.push();
  }

  private releaseView(): void {
    for (const listener of this.viewListeners.splice(0)) listener.dispose();
    this.webviewView = undefined;
    this.newPage();
  }
}

function isReady(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && (raw as { type?: unknown }).type === 'ready';
}

function isIntent(message: FromWebview): message is SidebarIntent {
  return message.type !== 'ready' && message.type !== 'rendered';
}
