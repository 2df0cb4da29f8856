import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildQueue, buildRangeQueue } from '../../core/queue';
import type { Queue, QueueFilter } from '../../core/queue';
import { findRepo, git, GitError } from '../../node/git/git';
import { gitIdentity, reviewCommittedLines } from '../../node/record/review';
import { rangeLines } from '../../node/report/lines';
import { UsageError } from '../../node/errors';
import type { Logger } from '../log';
import { notify } from '../notify';
import { registerSafeCommand } from '../commands/run';
import type { RepoWatch } from './repoWatch';

/** The base a branch is compared with when none was chosen. */
const UPSTREAM = '@{upstream}';

/** A committed block, as the view's inline action passes it. */
interface CommittedArg {
  readonly uri: string;
  readonly line: number;
  readonly toLine: number;
}

/**
 * The This branch section: the AI and mixed lines the commits since a base
 * (the upstream, or a ref picked once and remembered per repository) add and
 * that are still there, from the records; and the sign-off of such lines,
 * written into the records of the commits that added them.
 */
export class BranchLines implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[];
  private root: string | undefined;
  /** Counts the reads, so that a slow one does not overwrite a later one. */
  private generation = 0;
  private lines: Queue = buildQueue([]);
  /** Why there is nothing to list, when there is not. */
  message: string | undefined = 'Loading…';

  constructor(
    private readonly state: vscode.Memento,
    log: Logger,
    private readonly changed: () => void,
    /** A commit moves HEAD first and writes its record after (post-commit), a fetch or a rewrite moves the records alone: both followed. */
    private readonly repos: RepoWatch,
  ) {
    this.disposables = [
      registerSafeCommand('provenance.chooseBranchBase', 'Choose the Base of This Branch', log, () => this.chooseBase()),
      registerSafeCommand('provenance.markCommittedReviewed', 'Mark as Reviewed', log, (arg?: CommittedArg) => this.markReviewed(arg)),
      registerSafeCommand('provenance.refreshReviewQueue', 'Refresh', log, () => this.refresh()),
    ];
    repos.onDidMove(() => void this.refresh(), this, this.disposables);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  /** The lines, filtered as the view asks. */
  queue(filter: QueueFilter): Queue {
    return filter.unreviewedOnly || filter.tools ? buildRangeQueue(this.inputs, filter) : this.lines;
  }

  private inputs: Parameters<typeof buildRangeQueue>[0] = [];

  private base(root: string): string {
    return this.state.get<string>(`provenance.branchBase:${root}`) ?? UPSTREAM;
  }

  /** Reads the range base..HEAD of the workspace's (first) repository again; of reads that overlap, the last one asked for wins. */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    const folder = vscode.workspace.workspaceFolders?.[0];
    const repo = folder && folder.uri.scheme === 'file' ? await findRepo(folder.uri.fsPath) : undefined;
    if (generation !== this.generation) return;
    this.root = repo?.root;
    if (!repo) return this.show([], 'No git repository in this workspace.');
    this.repos.watch(repo);
    const base = this.base(repo.root);
    try {
      const r = await rangeLines(repo.root, [`${base}..HEAD`]);
      if (generation !== this.generation) return;
      this.show(r.files.map((f) => ({ key: vscode.Uri.file(path.join(repo.root, f.path)).toString(), label: f.path, ranges: f.ranges })), undefined);
    } catch (e) {
      if (!(e instanceof UsageError || e instanceof GitError)) throw e;
      if (generation !== this.generation) return;
      this.show([], base === UPSTREAM ? 'No upstream branch: choose a base.' : `Cannot compare with ${base}: choose another base.`);
    }
  }

  private show(inputs: Parameters<typeof buildRangeQueue>[0], message: string | undefined): void {
    this.inputs = inputs;
    this.lines = buildRangeQueue(inputs);
    this.message = message ?? (inputs.length === 0 ? 'No AI lines added since the base.' : undefined);
    this.changed();
  }

  /** Describes the base for the section's label. */
  describeBase(): string {
    return this.root ? (this.base(this.root) === UPSTREAM ? 'since the upstream' : `since ${this.base(this.root)}`) : '';
  }

  private async chooseBase(): Promise<void> {
    if (!this.root) return;
    const root = this.root;
    const refs = (await git(['for-each-ref', '--format=%(refname:short)', 'refs/heads', 'refs/remotes', 'refs/tags'], { cwd: root, timeoutMs: 10_000 })).split('\n').filter((r) => r);
    const items: vscode.QuickPickItem[] = [{ label: UPSTREAM, description: 'the branch this one tracks' }, ...refs.map((label) => ({ label }))];
    const pick = await vscode.window.showQuickPick(items, { title: 'Compare this branch with', placeHolder: `now: ${this.base(root)}` });
    if (!pick) return;
    await this.state.update(`provenance.branchBase:${root}`, pick.label === UPSTREAM ? undefined : pick.label);
    await this.refresh();
  }

  private async markReviewed(arg?: CommittedArg): Promise<void> {
    if (!arg || !this.root) return;
    const file = vscode.Uri.parse(arg.uri).fsPath;
    const rel = path.relative(this.root, file).split(path.sep).join('/');
    const review = { by: await gitIdentity(this.root), at: Date.now() };
    const n = await reviewCommittedLines(this.root, rel, arg.line + 1, arg.toLine + 1, review);
    if (n === 0) void notify.info('these lines have no AI record to sign off.');
    await this.refresh();
  }
}
