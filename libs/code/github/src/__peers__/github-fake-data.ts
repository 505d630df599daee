import commitFixture from '../__fixtures__/commit.json';
import contentFileFixture from '../__fixtures__/content-file.json';
import errorValidationFailedFixture from '../__fixtures__/error-validation-failed.json';
import hookFixture from '../__fixtures__/hook.json';
import installationTokenFixture from '../__fixtures__/installation-token.json';
import issueCommentFixture from '../__fixtures__/issue-comment.json';
import issueLabelsFixture from '../__fixtures__/issue-labels.json';
import issueFixture from '../__fixtures__/issue.json';
import pullRequestFixture from '../__fixtures__/pull-request.json';
import repositoryFixture from '../__fixtures__/repository.json';

/**
 * The trimmed real responses of `src/__fixtures__` (sources in its README),
 * imported so that a build bundles them: the fake runs from the package's
 * `./testing` entry point without shipping the files.
 */
const FIXTURES: Readonly<Record<string, unknown>> = {
  commit: commitFixture,
  'content-file': contentFileFixture,
  'error-validation-failed': errorValidationFailedFixture,
  hook: hookFixture,
  'installation-token': installationTokenFixture,
  'issue-comment': issueCommentFixture,
  'issue-labels': issueLabelsFixture,
  issue: issueFixture,
  'pull-request': pullRequestFixture,
  repository: repositoryFixture,
};

/** A copy of a trimmed real response from `src/__fixtures__`, by file name without `.json`. */
export function fixture<T extends object = Record<string, unknown>>(name: string): T {
  const found = FIXTURES[name];
  if (found === undefined) throw new Error(`no GitHub fixture "${name}"`);
  return structuredClone(found) as T;
}

/** GitHub's timestamp format: seconds, `Z`. */
export function githubTime(time: number = Date.now()): string {
  return new Date(Math.floor(time / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** An issue or pull request as the fake keeps it, in GitHub's field names. */
export interface FakeIssue {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  labels: string[];
  assignees: string[];
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  pull_request?: { url: string } | undefined;
}

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  created_at: string;
}

export interface FakeHook {
  id: number;
  events: string[];
  active: boolean;
  config: Record<string, string>;
}

/** A file the fake serves through the contents API. */
export interface FakeFile {
  readonly path: string;
  readonly content: string;
}

/** One repository and everything in it. */
export interface FakeRepository {
  readonly id: number;
  readonly fullName: string;
  readonly files: readonly FakeFile[];
  readonly commits: readonly Record<string, unknown>[];
  readonly pulls: readonly Record<string, unknown>[];
  issues: FakeIssue[];
  comments: FakeComment[];
  hooks: FakeHook[];
}

/** The owner, name and id GitHub shows; the rest comes from the recorded `get-repository` response. */
export function repositoryJson(repository: FakeRepository, baseUrl: string): Record<string, unknown> {
  const [owner = '', name = ''] = repository.fullName.split('/');
  const recorded = fixture('repository');
  return {
    ...recorded,
    id: repository.id,
    name,
    full_name: repository.fullName,
    html_url: `https://github.com/${repository.fullName}`,
    url: `${baseUrl}/repos/${repository.fullName}`,
    owner: { ...(recorded.owner as object), login: owner },
    // Required by today's description; the 2017 recording predates discussions.
    has_discussions: false,
  };
}

/**
 * A user as GitHub embeds it (`simple-user`): the recorded issue author, renamed.
 * Every URL field GitHub sends is kept, pointing at the named user.
 */
export function userJson(login: string, id: number): Record<string, unknown> {
  const recorded = fixture<{ user: Record<string, unknown> }>('issue').user;
  const renamed = Object.fromEntries(
    Object.entries(recorded).map(([key, value]) => [
      key,
      typeof value === 'string' && key.endsWith('url') ? value.replace(String(recorded.login), login) : value,
    ]),
  );
  return { ...renamed, login, id, node_id: Buffer.from(`04:User${id}`).toString('base64') };
}

export function issueJson(repository: FakeRepository, issue: FakeIssue, baseUrl: string): Record<string, unknown> {
  return {
    ...fixture('issue'),
    id: repository.id * 100_000 + issue.number,
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    labels: issue.labels.map((name, index) => ({ ...fixture<Record<string, unknown>[]>('issue-labels')[0], id: index + 1, name })),
    assignee: issue.assignees[0] === undefined ? null : userJson(issue.assignees[0], 1),
    assignees: issue.assignees.map((login, index) => userJson(login, index + 1)),
    html_url: `https://github.com/${repository.fullName}/issues/${issue.number}`,
    url: `${baseUrl}/repos/${repository.fullName}/issues/${issue.number}`,
    created_at: issue.created_at,
    updated_at: issue.updated_at,
    closed_at: issue.closed_at,
    ...(issue.pull_request === undefined ? {} : { pull_request: issue.pull_request }),
  };
}

export function commentJson(repository: FakeRepository, comment: FakeComment): Record<string, unknown> {
  return {
    ...fixture('issue-comment'),
    id: comment.id,
    body: comment.body,
    html_url: `https://github.com/${repository.fullName}/issues/${comment.issue}#issuecomment-${comment.id}`,
    created_at: comment.created_at,
    updated_at: comment.created_at,
  };
}

export function hookJson(hook: FakeHook): Record<string, unknown> {
  const { secret: _secret, ...config } = hook.config;
  return {
    ...fixture('hook'),
    id: hook.id,
    active: hook.active,
    events: hook.events,
    config: { ...config, ...(_secret === undefined ? {} : { secret: '********' }) },
  };
}

function commit(
  sha: string,
  message: string,
  author: { name: string; email: string; login?: string },
  date: string,
  fullName: string,
): Record<string, unknown> {
  const recorded = fixture<{ commit: Record<string, unknown>; author: Record<string, unknown> }>('commit');
  const person = { name: author.name, email: author.email, date };
  return {
    ...recorded,
    sha,
    html_url: `https://github.com/${fullName}/commit/${sha}`,
    commit: { ...recorded.commit, author: person, committer: person, message },
    author: author.login === undefined ? null : userJson(author.login, author.login.length),
    committer: author.login === undefined ? null : userJson(author.login, author.login.length),
  };
}

function pull(
  number: number,
  state: 'open' | 'closed',
  merged: boolean,
  head: string,
  base: string,
  fullName: string,
): Record<string, unknown> {
  const recorded = fixture<Record<string, Record<string, unknown>>>('pull-request');
  return {
    ...recorded,
    number,
    state,
    title: `Pull request ${number} (${merged ? 'merged' : state})`,
    html_url: `https://github.com/${fullName}/pull/${number}`,
    created_at: `2011-01-${String(10 + number).padStart(2, '0')}T19:01:12Z`,
    closed_at: state === 'closed' ? '2011-02-01T19:01:12Z' : null,
    merged_at: merged ? '2011-02-01T19:01:12Z' : null,
    head: { ...recorded.head, ref: head },
    base: { ...recorded.base, ref: base },
    // The description's own example lists a team without the `type` its schema requires; no team is asked here.
    requested_teams: [],
  };
}

const monalisa = { name: 'Monalisa Octocat', email: 'support@github.com', login: 'octocat' };
const hubot = { name: 'Hubot', email: 'hubot@example.com', login: 'hubot' };

/** An entry of the contents API (`content-file` without `content`, or with it): GitHub's example, moved to `path`. */
export function contentJson(fullName: string, path: string, sha: string, size: number, baseUrl: string): Record<string, unknown> {
  const example = fixture('content-file');
  delete example.content;
  delete example.encoding;
  const self = `${baseUrl}/repos/${fullName}/contents/${path}?ref=master`;
  const html = `https://github.com/${fullName}/blob/master/${path}`;
  const git = `${baseUrl}/repos/${fullName}/git/blobs/${sha}`;
  return {
    ...example,
    type: 'file',
    name: path.split('/').pop(),
    path,
    sha,
    size,
    url: self,
    git_url: git,
    html_url: html,
    download_url: `https://raw.githubusercontent.com/${fullName}/master/${path}`,
    _links: { self, git, html },
  };
}

/** The repository the fake starts with: the recorded `octokit-fixture-org/hello-world`, with files, commits and pull requests. */
export function seedRepository(id: number, fullName: string): FakeRepository {
  const commits = [
    commit(
      '7fd1a60b01f91b314f59955a4e4d4e80d8edf11d',
      'Merge pull request #6 from Spaceghost/patch-1\n\nNew line at end of file.',
      monalisa,
      '2012-03-06T23:06:50Z',
      fullName,
    ),
    commit(
      '762941318ee16e59dabbacb1b4049eec22f0d303',
      'New line at end of file. --Signed off by Spaceghost',
      hubot,
      '2011-09-14T04:42:41Z',
      fullName,
    ),
    commit('553c2077f0edc3d5dc5d17262f6aa498e69d6f8e', 'first commit', monalisa, '2011-01-26T19:06:43Z', fullName),
  ];
  const pulls = [
    pull(3, 'open', false, 'new-topic', 'master', fullName),
    pull(2, 'closed', true, 'patch-1', 'master', fullName),
    pull(1, 'closed', false, 'abandoned', 'master', fullName),
  ];
  return {
    id,
    fullName,
    files: [
      { path: 'README.md', content: '# hello-world\n\nHello, World! Served by the Switchyard GitHub fake.\n' },
      { path: 'src/index.ts', content: "export const greeting = 'Hello, World!';\n" },
      { path: 'assets/logo.bin', content: '\u0000\u0001\u0002binary\u00ff' },
    ],
    commits,
    pulls,
    issues: [],
    comments: [],
    hooks: [],
  };
}
