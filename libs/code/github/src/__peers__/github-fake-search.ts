import type { FakeIssue } from './github-fake-data';

/** A `q` of `GET /search/issues`: qualifiers the fake understands, and the remaining words. */
export interface IssueSearch {
  readonly repository: string | undefined;
  readonly type: 'issue' | 'pr' | undefined;
  readonly state: 'open' | 'closed' | undefined;
  readonly labels: readonly string[];
  readonly assignee: string | undefined;
  readonly words: readonly string[];
}

/** Splits GitHub search syntax: `words repo:o/r is:issue state:open label:"a b" assignee:x`. */
export function parseSearch(q: string): IssueSearch {
  const terms = [...q.matchAll(/(\w+):"([^"]*)"|(\w+):(\S+)|(\S+)/g)];
  let repository: string | undefined;
  let type: IssueSearch['type'];
  let state: IssueSearch['state'];
  let assignee: string | undefined;
  const labels: string[] = [];
  const words: string[] = [];
  for (const term of terms) {
    const name = term[1] ?? term[3];
    const value = term[2] ?? term[4] ?? '';
    if (name === 'repo') repository = value;
    else if (name === 'is' && (value === 'issue' || value === 'pr')) type = value;
    else if ((name === 'is' || name === 'state') && (value === 'open' || value === 'closed')) state = value;
    else if (name === 'label') labels.push(value);
    else if (name === 'assignee') assignee = value;
    else words.push((term[5] ?? term[0]).toLowerCase());
  }
  return { repository, type, state, labels, assignee, words };
}

/** Whether an issue matches: every qualifier, and every word as a whole word of its title or body (case-insensitive), as GitHub matches. */
export function matchesSearch(issue: FakeIssue, search: IssueSearch): boolean {
  if (search.type === 'issue' && issue.pull_request !== undefined) return false;
  if (search.type === 'pr' && issue.pull_request === undefined) return false;
  if (search.state !== undefined && issue.state !== search.state) return false;
  if (!search.labels.every((label) => issue.labels.some((own) => own.toLowerCase() === label.toLowerCase()))) return false;
  if (search.assignee !== undefined && !issue.assignees.includes(search.assignee)) return false;
  const text = new Set(`${issue.title} ${issue.body ?? ''}`.toLowerCase().split(/[^\p{L}\p{N}_-]+/u));
  return search.words.every((word) => text.has(word));
}
