import { createCallContext, testRepositoriesProvider } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitlabFake, type GitlabFake } from './__peers__/gitlab-fake';
import { createGitlab } from './index';

const TOKEN = 'glpat-fake-token';
const PROJECT = 'diaspora/diaspora-project-site';
let fake: GitlabFake;

beforeAll(async () => {
  fake = await startGitlabFake({ token: TOKEN });
});
afterAll(async () => {
  await fake.close();
});

const create = () => createGitlab({ baseURL: fake.url, token: TOKEN, allowPrivateNetwork: true });
const call = (operation: string, input: unknown) => create().execute({ capability: 'repositories', operation, input }, createCallContext());

testRepositoriesProvider({
  create,
  fixture: {
    repository: PROJECT,
    missingRepository: 'diaspora/does-not-exist',
    searchQuery: 'diaspora',
    branch: 'main',
    author: 'randx',
    file: { path: 'app/models/key.rb', contains: 'class Key' },
    directory: 'app/models',
    missingFile: 'app/models/missing.rb',
    pullRequests: { state: 'all', atLeast: 3 },
  },
});

describe('gitlab repositories', () => {
  it('addresses a project by numeric id as well as by path, and maps the documented project', async () => {
    const byId = await call('getRepository', { repository: '3' });
    expect(byId).toEqual({
      id: PROJECT,
      name: 'Diaspora Project Site',
      fullName: PROJECT,
      description: 'Lorem ipsum dolor sit amet, consectetur adipiscing elit.',
      defaultBranch: 'main',
      visibility: 'private',
      archived: false,
      url: 'http://example.com/diaspora/diaspora-project-site',
      stars: 0,
      forks: 0,
      topics: ['example', 'disapora project'],
      updatedAt: '2013-09-30T13:46:02.000Z',
    });
    expect(fake.requests.at(-1)?.path).toBe('/api/v4/projects/3');
    await call('getRepository', { repository: PROJECT });
    expect(fake.requests.at(-1)?.path).toBe('/api/v4/projects/diaspora%2Fdiaspora-project-site');
  });

  it('maps merge request states (opened → open) and filters by target branch', async () => {
    const open = (await call('listPullRequests', { repository: PROJECT, state: 'open' })) as {
      pullRequests: { number: number; draft: boolean; state: string }[];
    };
    expect(open.pullRequests).toEqual([expect.objectContaining({ number: 2, state: 'open', draft: true })]);
    expect(fake.requests.at(-1)?.path).toContain('state=opened');
    const stable = (await call('listPullRequests', { repository: PROJECT, state: 'all', targetBranch: 'stable' })) as {
      pullRequests: { number: number }[];
    };
    expect(stable.pullRequests.map((pullRequest) => pullRequest.number)).toEqual([3]);
  });

  it('normalizes commit times with offsets to UTC and narrows by path', async () => {
    const page = (await call('listCommits', { repository: PROJECT, path: 'README.md' })) as {
      commits: { sha: string; authoredAt: string }[];
    };
    expect(page.commits).toEqual([
      expect.objectContaining({ sha: '6104942438c14ec7bd21c6cd5bd995272b3faff6', authoredAt: '2021-09-20T06:06:12.201Z' }),
    ]);
  });

  it('reads a file at the default branch looked up from the project', async () => {
    const before = fake.requests.length;
    const file = await call('getFileContent', { repository: PROJECT, path: 'app/models/key.rb' });
    expect(file).toEqual({
      path: 'app/models/key.rb',
      sha: '79f7bbd25901e8334750839545a9bd021f0e4c83',
      size: 38,
      content: '# == Schema Information\nclass Key\nend\n',
      encoding: 'utf8',
    });
    expect(fake.requests.slice(before).map((request) => request.path)).toEqual([
      '/api/v4/projects/diaspora%2Fdiaspora-project-site',
      '/api/v4/projects/diaspora%2Fdiaspora-project-site/repository/files/app%2Fmodels%2Fkey.rb?ref=main',
    ]);
  });
});
