import commitsFixture from '../__fixtures__/commits.json';
import errorsFixture from '../__fixtures__/errors.json';
import fileFixture from '../__fixtures__/file.json';
import hookFixture from '../__fixtures__/hook.json';
import issueFixture from '../__fixtures__/issue.json';
import mergeRequestFixture from '../__fixtures__/merge-request.json';
import noteFixture from '../__fixtures__/note.json';
import singleProjectFixture from '../__fixtures__/single-project.json';
import usersFixture from '../__fixtures__/users.json';

type Json = Record<string, unknown>;

/**
 * The trimmed documentation examples of `src/__fixtures__` (see its README
 * for sources), imported so that a build bundles them: the fake runs from the
 * package's `./testing` entry point without shipping the files.
 */
const FIXTURES: Readonly<Record<string, unknown>> = {
  'commits.json': commitsFixture,
  'errors.json': errorsFixture,
  'file.json': fileFixture,
  'hook.json': hookFixture,
  'issue.json': issueFixture,
  'merge-request.json': mergeRequestFixture,
  'note.json': noteFixture,
  'single-project.json': singleProjectFixture,
  'users.json': usersFixture,
};

/** A copy of a trimmed documentation example from `src/__fixtures__`, by file name. */
export function fixture<T = Json>(name: string): T {
  const found = FIXTURES[name];
  if (found === undefined) throw new Error(`no GitLab fixture "${name}"`);
  return structuredClone(found) as T;
}

/** A file in the fake repository (branch `main`). */
export interface FakeFile {
  readonly path: string;
  readonly content: string;
  readonly blobId: string;
}

/** A commit with the paths it touched, which the commits list filters by. */
export interface FakeCommit {
  readonly json: Json;
  readonly paths: readonly string[];
}

/** One project: its REST JSON plus the issues, notes, merge requests, repository and hooks under it. */
export interface FakeProject {
  readonly json: Json;
  readonly issues: Json[];
  readonly notes: Map<number, Json[]>;
  readonly mergeRequests: Json[];
  readonly commits: FakeCommit[];
  readonly files: FakeFile[];
  readonly hooks: Json[];
}

/** The fake instance's state. */
export interface FakeState {
  readonly projects: FakeProject[];
  readonly users: Json[];
  nextId: number;
}

function project(json: Json): FakeProject {
  return { json, issues: [], notes: new Map(), mergeRequests: [], commits: [], files: [], hooks: [] };
}

/**
 * The seeded instance, built from the documented example responses: the
 * "Get single project" project (`diaspora/diaspora-project-site`, id 3) with
 * the documented commits, merge request, file and hook; the documented issue
 * as its first issue; users from "List users"; and a few sibling projects so
 * project lists span pages.
 */
export function seedState(): FakeState {
  const main = project(fixture('single-project.json'));
  const base = main.json;
  const siblings = ['diaspora-client', 'diaspora-docs', 'puppet'].map((name, index) =>
    project({
      ...base,
      id: 10 + index,
      name: name,
      path: name,
      path_with_namespace: name === 'puppet' ? 'brightbox/puppet' : `diaspora/${name}`,
      web_url: `http://example.com/${name === 'puppet' ? 'brightbox' : 'diaspora'}/${name}`,
      description: `Sibling project ${name}`,
      visibility: index === 0 ? 'public' : 'internal',
    }),
  );
  const issue = fixture('issue.json');
  main.issues.push({ ...issue, project_id: base.id, web_url: `${String(base.web_url)}/-/issues/${String(issue.iid)}` });
  const commits = fixture<Json[]>('commits.json');
  main.commits.push({ json: commits[0]!, paths: ['app/models/key.rb'] }, { json: commits[1]!, paths: ['README.md'] });
  const mergeRequest = fixture('merge-request.json');
  main.mergeRequests.push(
    mergeRequest,
    {
      ...mergeRequest,
      id: 2,
      iid: 2,
      title: 'Draft: viewport',
      description: null,
      state: 'opened',
      merged_at: null,
      draft: true,
      source_branch: 'ms-viewport',
      created_at: '2017-05-02T08:46:00Z',
      web_url: 'http://gitlab.example.com/my-group/my-project/merge_requests/2',
    },
    {
      ...mergeRequest,
      id: 3,
      iid: 3,
      title: 'Abandoned',
      state: 'closed',
      merged_at: null,
      source_branch: 'old',
      target_branch: 'stable',
      created_at: '2017-05-01T08:46:00Z',
      web_url: 'http://gitlab.example.com/my-group/my-project/merge_requests/3',
    },
  );
  const file = fixture('file.json');
  main.files.push(
    { path: String(file.file_path), content: Buffer.from(String(file.content), 'base64').toString('utf8'), blobId: String(file.blob_id) },
    { path: 'README.md', content: '# Diaspora Project Site\n\nThe project site.\n', blobId: '3a5a4b8f8a0b2b0dbd8a6ce0f4c1a7f8e0c5d2a1' },
  );
  main.hooks.push(fixture('hook.json'));
  const users = fixture<Json[]>('users.json');
  users.push({
    id: 18,
    username: 'eileen.lowe',
    name: 'Alexandra Bashirian',
    state: 'active',
    web_url: 'https://gitlab.example.com/eileen.lowe',
  });
  return { projects: [main, ...siblings], users, nextId: 1000 };
}
