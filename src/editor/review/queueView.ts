import * as vscode from 'vscode';
import type { ProvenanceTracker } from '../capture/tracker';
import { isTracked } from '../capture/documents';
import { buildQueue, nextUnreviewed, NO_FILTER } from '../../core/queue';
import type { Queue, QueueFilter, QueueInput } from '../../core/queue';
import type { Logger } from '../log';
import { notify } from '../notify';
import { registerSafeCommand } from '../commands/run';
import type { LineProjections } from '../ui/projections';
import { BranchLines } from './branch';
import { blockNode, blockRange, queueItem } from './queueItems';
import type { QueueNode } from './queueItems';
import type { RepoWatch } from './repoWatch';

/** Edits come in bursts: the view follows a little behind. */
const REFRESH_MS = 250;
export const QUEUE_VIEW_ID = 'provenance.reviewQueue';

const UNCOMMITTED: QueueNode = { type: 'section', id: 'uncommitted', label: 'Uncommitted', empty: 'No AI lines in the open files.' };
const BRANCH: QueueNode = { type: 'section', id: 'branch', label: 'This branch', empty: 'No AI lines added since the base.' };

/**
 * The reviewer's queue in the AI Provenance view: the AI and mixed blocks of
 * the open documents (the live models), grouped by file, with a badge
 * counting unreviewed AI lines, a filter, and Next Unreviewed.
 */
export class ReviewQueueView implements vscode.TreeDataProvider<QueueNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<QueueNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<QueueNode>;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private filter: QueueFilter = NO_FILTER;
  private queue: Queue = buildQueue([]);
  private timer: NodeJS.Timeout | undefined;
  private readonly branch: BranchLines;

  constructor(
    tracker: ProvenanceTracker,
    private readonly projections: LineProjections,
    private readonly extensionUri: vscode.Uri,
    state: vscode.Memento,
    log: Logger,
    repos: RepoWatch,
  ) {
    this.view = vscode.window.createTreeView(QUEUE_VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.branch = new BranchLines(state, log, () => this.refresh(), repos);
    this.disposables.push(
      this.view,
      this.branch,
      registerSafeCommand('provenance.openBlock', 'Open the Lines', log, (node?: QueueNode) => this.open(node)),
      registerSafeCommand('provenance.nextUnreviewed', 'Next Unreviewed AI Change', log, () => this.next()),
      registerSafeCommand('provenance.filterQueue', 'Filter the Review Queue', log, () => this.pickFilter()),
      registerSafeCommand('provenance.showReviewQueue', 'Show the Review Queue', log, () => vscode.commands.executeCommand(`${QUEUE_VIEW_ID}.focus`)),
    );
    tracker.onDidChangeModel(() => this.schedule(), this, this.disposables);
    vscode.workspace.onDidCloseTextDocument(() => this.schedule(), this, this.disposables);
    this.refresh();
    this.branch.refresh().catch((e: unknown) => log.warn(`This branch: ${String(e)}`));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }

  getTreeItem(node: QueueNode): vscode.TreeItem {
    const item = queueItem(node, this.extensionUri);
    if (node.type === 'section' && node.id === 'branch') item.description = this.baseLabel();
    return item;
  }

  getChildren(node?: QueueNode): QueueNode[] {
    if (!node) return [UNCOMMITTED, BRANCH];
    if (node.type === 'section') {
      const queue = this.sectionQueue(node.id);
      if (node.id === 'branch' && this.branch.message) return [{ type: 'message', text: this.branch.message }];
      if (queue.files.length === 0) return [{ type: 'message', text: !this.describeFilter() ? node.empty : 'Nothing matches the filter.' }];
      return queue.files.map((file) => ({ type: 'file', section: node.id, file }));
    }
    if (node.type === 'file') return node.file.blocks.map((b) => blockNode(node.section, b));
    return [];
  }

  /** For reveal: nodes are matched by their ids. */
  getParent(node: QueueNode): QueueNode | undefined {
    if (node.type === 'file') return node.section === 'branch' ? BRANCH : UNCOMMITTED;
    if (node.type !== 'block') return undefined;
    const file = this.sectionQueue(node.section).files.find((f) => f.key === node.block.file);
    return file && { type: 'file', section: node.section, file };
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), REFRESH_MS);
  }

  /** Rebuilds the queue from the open documents and redraws the view and its badge. */
  refresh(): void {
    this.timer = undefined;
    this.queue = buildQueue(this.inputs(), this.filter);
    const n = this.queue.unreviewedLines + this.branch.queue(this.filter).unreviewedLines;
    this.view.badge = n ? { value: n, tooltip: `${n} unreviewed AI line${n === 1 ? '' : 's'}` } : undefined;
    this.view.description = this.describeFilter();
    this.changed.fire(undefined);
  }

  private sectionQueue(id: string): Queue {
    return id === 'branch' ? this.branch.queue(this.filter) : this.queue;
  }

  /** Where the This branch section starts from, for its label. */
  baseLabel(): string {
    return this.branch.describeBase();
  }

  private inputs(): QueueInput[] {
    const out: QueueInput[] = [];
    for (const doc of vscode.workspace.textDocuments) {
      const infos = isTracked(doc) ? this.projections.get(doc) : undefined;
      if (infos?.length) out.push({ key: doc.uri.toString(), label: vscode.workspace.asRelativePath(doc.uri), infos });
    }
    return out;
  }

  private describeFilter(): string | undefined {
    const parts: string[] = [];
    if (this.filter.unreviewedOnly) parts.push('unreviewed');
    if (this.filter.tools) parts.push([...this.filter.tools].join(', '));
    return parts.length ? `filter: ${parts.join('; ')}` : undefined;
  }

  private async open(node?: QueueNode): Promise<void> {
    if (node?.type !== 'block') return;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(node.uri));
    const range = blockRange(doc, node.block);
    const editor = await vscode.window.showTextDocument(doc, { selection: range, preserveFocus: false });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async next(): Promise<void> {
    // The view may be behind the last edit by the debounce: walk what is true now.
    this.refresh();
    const editor = vscode.window.activeTextEditor;
    const at = editor ? { file: editor.document.uri.toString(), line: editor.selection.start.line } : undefined;
    const block = nextUnreviewed(this.queue, at);
    if (!block) {
      void notify.info('no unreviewed AI changes in the open files.');
      return;
    }
    const node = blockNode('uncommitted', block);
    await this.open(node);
    if (this.view.visible) await this.view.reveal(node, { select: true, focus: false }).then(undefined, () => undefined);
  }

  private async pickFilter(): Promise<void> {
    type Pick = vscode.QuickPickItem & { readonly key?: string };
    const unreviewed: Pick = { label: 'Unreviewed only', picked: this.filter.unreviewedOnly };
    const tools: Pick[] = [...new Set([...this.queue.tools, ...this.branch.queue({ unreviewedOnly: false }).tools])].sort().map((t) => ({ label: t, key: t, description: 'tool', picked: !this.filter.tools || this.filter.tools.has(t) }));
    const picks = await vscode.window.showQuickPick([unreviewed, { label: 'Tools', kind: vscode.QuickPickItemKind.Separator }, ...tools], {
      canPickMany: true,
      title: 'Filter the AI Provenance view',
    });
    if (!picks) return;
    const chosen = new Set(picks.flatMap((p) => (p.key ? [p.key] : [])));
    const allTools = tools.length === 0 || chosen.size === tools.length;
    this.filter = { unreviewedOnly: picks.includes(unreviewed), tools: allTools ? undefined : chosen };
    this.refresh();
  }
}
