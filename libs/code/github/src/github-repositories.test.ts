import { IntegrationError } from '@switchyard/core';
import { createCallContext } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubFake, type GithubFake } from './__peers__/github-fake';
import { createGithub } from './index';

let fake: GithubFake;

beforeAll(async () => {
  fake = await startGithubFake();
});

afterAll(async () => {
  await fake?.close();
});

const github = () => createGithub({ baseURL: fake.url, token: fake.token });

function call(operation: string, input: unknown) {
  return github().execute({ capability: 'repositories', operation, input }, createCallContext());
}

// The repositories contract suite runs in github-prism.test.ts, through Prism in front of this fake.
describe('repositories on GitHub', () => {
  it('maps a repository as GitHub describes it, and finds it by numeric id too', async () => {
    const described = await call('getRepository', { repository: 'octokit-fixture-org/hello-world' });
    expect(described).toEqual({
      id: 'octokit-fixture-org/hello-world',
      name: 'hello-world',
      fullName: 'octokit-fixture-org/hello-world',
      defaultBranch: 'master',
      visibility: 'public',
      archived: false,
      url: 'https://github.com/octokit-fixture-org/hello-world',
      stars: 42,
      forks: 42,
      topics: ['fixtures', 'hello', 'hello-world'],
      updatedAt: '2017-10-10T16:00:00.000Z',
    });
    expect(await call('getRepository', { repository: '1000' })).toEqual(described);
  });

  it('tells merged pull requests from closed ones: GitHub lists both as closed', async () => {
    const states = async (state: string) =>
      (
        (await call('listPullRequests', { repository: fake.repository, state })) as { pullRequests: { number: number; state: string }[] }
      ).pullRequests.map((pull) => `${pull.number}:${pull.state}`);
    expect(await states('closed')).toEqual(['1:closed']);
    expect(await states('merged')).toEqual(['2:merged']);
    expect(await states('all')).toEqual(['3:open', '2:merged', '1:closed']);
    const sent = fake.requests
      .filter((request) => request.path.includes('/pulls'))
      .map((request) => new URL(request.path, fake.url).searchParams.get('state'));
    expect(sent.slice(-3), 'GitHub is asked for closed, closed, all').toEqual(['closed', 'closed', 'all']);
  });

  it('reads a binary file as base64, byte for byte', async () => {
    const file = (await call('getFileContent', { repository: fake.repository, path: 'assets/logo.bin', encoding: 'base64' })) as {
      content: string;
    };
    expect(Buffer.from(file.content, 'base64')).toEqual(Buffer.from('\u0000\u0001\u0002binary\u00ff', 'utf8'));
  });

  it('sends the commit filters GitHub names sha, author, since, until and path', async () => {
    await call('listCommits', {
      repository: fake.repository,
      branch: 'master',
      author: 'hubot',
      since: '2011-01-01T00:00:00Z',
      until: '2013-01-01T00:00:00Z',
      path: 'README.md',
      limit: 5,
    });
    const query = new URL(fake.requests.at(-1)?.path ?? '', fake.url).searchParams;
    expect(Object.fromEntries(query)).toEqual({
      sha: 'master',
      author: 'hubot',
      since: '2011-01-01T00:00:00Z',
      until: '2013-01-01T00:00:00Z',
      path: 'README.md',
      per_page: '5',
      page: '1',
    });
  });

  it('refuses a cursor it did not issue, and one issued for bigger pages, with validation', async () => {
    const foreign = await call('listCommits', { repository: fake.repository, cursor: 'not-a-cursor' }).catch((error: unknown) => error);
    expect(IntegrationError.isInstance(foreign) && foreign.kind).toBe('validation');
    const page = (await call('listCommits', { repository: fake.repository, limit: 2 })) as { nextCursor?: string };
    const smaller = await call('listCommits', { repository: fake.repository, limit: 1, cursor: page.nextCursor }).catch(
      (error: unknown) => error,
    );
    expect(IntegrationError.isInstance(smaller) && smaller.kind).toBe('validation');
  });
});
