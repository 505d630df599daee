import { type Issue, type IssuesOperationInput, type IssuesOperationName, type IssuesOperationOutput, type ProviderV1 } from '../index';
import { issuesV1 } from '../capabilities/index';
import { createMemoryProvider, paginate, type MemoryFailure } from './memory-provider';

/** A project of an in-memory issues provider. */
export interface MemoryProject {
  /** What callers pass as `project`, e.g. `acme/website`. */
  readonly id: string;
  readonly name: string;
  readonly description?: string;
}

/** Options for {@link createMemoryIssuesProvider}. */
export interface MemoryIssuesProviderOptions {
  /** The manifest id. Default: `'memory-issues'`. */
  readonly id?: string;
  /** The projects that hold issues. Default: `acme/website` and `acme/api`. */
  readonly projects?: readonly MemoryProject[];
}

/** The projects an in-memory issues provider has unless told otherwise. */
export const DEFAULT_MEMORY_PROJECTS: readonly MemoryProject[] = Object.freeze([
  { id: 'acme/website', name: 'Website', description: 'The Acme marketing site' },
  { id: 'acme/api', name: 'API' },
]);

const BASE_URL = 'https://issues.memory.invalid';

interface ProjectState {
  readonly project: MemoryProject;
  readonly issues: Map<string, Issue>;
  nextNumber: number;
  nextCommentNumber: number;
}

type Handlers = {
  readonly [Name in IssuesOperationName]: (input: IssuesOperationInput<Name>, fail: MemoryFailure) => IssuesOperationOutput<Name>;
};

/** A timestamp strictly after `previous`, so `updatedAt` moves even within one millisecond. */
function nextTimestamp(previous: string | undefined): string {
  const now = Date.now();
  const previousMs = previous === undefined ? 0 : Date.parse(previous);
  return new Date(Math.max(now, previousMs + 1)).toISOString();
}

function matchesQuery(issue: Issue, query: string | undefined): boolean {
  if (query === undefined) return true;
  const haystack = `${issue.title}\n${issue.body}`.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word.length > 0)
    .every((word) => haystack.includes(word));
}

/**
 * An in-memory `issues` v1 provider with every operation, numbering issues
 * per project like GitHub (`"1"`, `"2"`, ...). Unknown projects and issues are
 * `not_found`; searches match every word of `query` in the title or body,
 * every label, and list the most recently updated first.
 *
 * @example
 * ```ts
 * testIssuesProvider({ create: () => createMemoryIssuesProvider(), project: 'acme/website' });
 * ```
 */
export function createMemoryIssuesProvider(options: MemoryIssuesProviderOptions = {}): ProviderV1 {
  const projects = new Map<string, ProjectState>(
    (options.projects ?? DEFAULT_MEMORY_PROJECTS).map((project) => [
      project.id,
      { project, issues: new Map(), nextNumber: 1, nextCommentNumber: 1 },
    ]),
  );

  function projectState(project: string, fail: MemoryFailure): ProjectState {
    return projects.get(project) ?? fail('not_found', `Project "${project}" does not exist`);
  }

  function findIssue(project: string, issueId: string, fail: MemoryFailure): Issue {
    return (
      projectState(project, fail).issues.get(issueId) ?? fail('not_found', `Issue "${issueId}" does not exist in project "${project}"`)
    );
  }

  const handlers: Handlers = {
    createIssue(input, fail) {
      const state = projectState(input.project, fail);
      const number = state.nextNumber;
      state.nextNumber += 1;
      const now = nextTimestamp(undefined);
      const issue: Issue = {
        id: String(number),
        project: input.project,
        number,
        title: input.title,
        body: input.body,
        state: 'open',
        labels: [...new Set(input.labels ?? [])],
        assignees: [...new Set(input.assignees ?? [])],
        url: `${BASE_URL}/${input.project}/issues/${number}`,
        createdAt: now,
        updatedAt: now,
      };
      state.issues.set(issue.id, issue);
      return issue;
    },
    getIssue(input, fail) {
      return findIssue(input.project, input.issueId, fail);
    },
    updateIssue(input, fail) {
      const current = findIssue(input.project, input.issueId, fail);
      const updated: Issue = {
        ...current,
        ...(input.title === undefined ? {} : { title: input.title }),
        ...(input.body === undefined ? {} : { body: input.body }),
        ...(input.state === undefined ? {} : { state: input.state }),
        ...(input.labels === undefined ? {} : { labels: [...new Set(input.labels)] }),
        ...(input.assignees === undefined ? {} : { assignees: [...new Set(input.assignees)] }),
        updatedAt: nextTimestamp(current.updatedAt),
      };
      projectState(input.project, fail).issues.set(updated.id, updated);
      return updated;
    },
    commentOnIssue(input, fail) {
      const issue = findIssue(input.project, input.issueId, fail);
      const state = projectState(input.project, fail);
      const id = String(state.nextCommentNumber);
      state.nextCommentNumber += 1;
      return {
        id,
        issueId: issue.id,
        body: input.body,
        url: `${issue.url}#comment-${id}`,
        createdAt: new Date().toISOString(),
      };
    },
    searchIssues(input, fail) {
      const matches = [...projectState(input.project, fail).issues.values()]
        .filter((issue) => input.state === 'all' || issue.state === input.state)
        .filter((issue) => (input.labels ?? []).every((label) => issue.labels.includes(label)))
        .filter((issue) => input.assignee === undefined || issue.assignees.includes(input.assignee))
        .filter((issue) => matchesQuery(issue, input.query))
        .sort((left, right) => right.updatedAt.localeCompare(left.updatedAt) || (right.number ?? 0) - (left.number ?? 0));
      const page = paginate(matches, input, fail);
      return { issues: page.items, nextCursor: page.nextCursor };
    },
    listProjects(input, fail) {
      const query = input.query?.toLowerCase();
      const matches = [...projects.values()]
        .map(({ project }) => project)
        .filter((project) => query === undefined || `${project.id}\n${project.name}`.toLowerCase().includes(query))
        .map((project) => ({ ...project, url: `${BASE_URL}/${project.id}` }));
      const page = paginate(matches, input, fail);
      return { projects: page.items, nextCursor: page.nextCursor };
    },
  };

  return createMemoryProvider({
    id: options.id ?? 'memory-issues',
    name: 'In-memory issues',
    category: 'code',
    contract: issuesV1,
    handlers,
  });
}
