import type { PullRequest, Repository } from '../index';

/** A commit of an in-memory repository. */
export interface MemoryCommit {
  /** Default: a SHA-1 of the repository, message, author and time, so it is stable across runs. */
  readonly sha?: string;
  readonly message: string;
  readonly authorName: string;
  readonly authorEmail?: string;
  readonly authorLogin?: string;
  /** ISO 8601 UTC, e.g. `2025-02-10T09:00:00.000Z`. */
  readonly authoredAt: string;
  /** The files it touched, for `listCommits`' `path` filter. Default: none. */
  readonly paths?: readonly string[];
}

/** A file of an in-memory repository. */
export interface MemoryFile {
  /** The content, written in `encoding`. */
  readonly content: string;
  /** How `content` is written: `'utf8'` for text, `'base64'` for binary. Default: `'utf8'`. */
  readonly encoding?: 'utf8' | 'base64';
  /** The branches that hold the file. Default: every branch. */
  readonly branches?: readonly string[];
}

/** A pull request of an in-memory repository; `url` is derived, the rest defaults as noted. */
export type MemoryPullRequest = Omit<PullRequest, 'url' | 'body' | 'draft' | 'updatedAt'> & {
  /** Default: `''`. */
  readonly body?: string;
  /** Default: false. */
  readonly draft?: boolean;
  /** Default: `mergedAt`, else `createdAt`. */
  readonly updatedAt?: string;
};

/** A repository of an in-memory repositories provider. */
export interface MemoryRepository {
  /** `"owner/name"`: the repository's id, matched case-insensitively like GitHub does. */
  readonly fullName: string;
  readonly description?: string;
  /** Default: the first key of `branches`; none (an empty repository) when there are no branches. */
  readonly defaultBranch?: string;
  /** Default: `'public'`. */
  readonly visibility?: Repository['visibility'];
  /** Default: false. */
  readonly archived?: boolean;
  /** Default: 0. */
  readonly stars?: number;
  /** Default: 0. */
  readonly forks?: number;
  /** Default: none. */
  readonly topics?: readonly string[];
  /** Default: the newest commit's `authoredAt`. */
  readonly updatedAt?: string;
  /** Each branch's commits, in any order (listed newest first). Default: none. */
  readonly branches?: Readonly<Record<string, readonly MemoryCommit[]>>;
  /** Files by path from the repository root, e.g. `src/index.ts`. Default: none. */
  readonly files?: Readonly<Record<string, MemoryFile>>;
  /** Default: none. */
  readonly pullRequests?: readonly MemoryPullRequest[];
}

const ada = { authorName: 'Ada Lovelace', authorEmail: 'ada@acme.example', authorLogin: 'ada' } as const;
const grace = { authorName: 'Grace Hopper', authorEmail: 'grace@acme.example', authorLogin: 'grace' } as const;

const websiteHistory: readonly MemoryCommit[] = [
  { ...grace, message: 'Initial commit', authoredAt: '2025-01-15T08:00:00.000Z', paths: ['README.md', 'src/index.html'] },
  { ...ada, message: 'Add the logo', authoredAt: '2025-02-10T09:00:00.000Z', paths: ['assets/logo.png', 'src/index.html'] },
  { ...grace, message: 'Fix the navigation on small screens', authoredAt: '2025-02-20T15:30:00.000Z', paths: ['src/styles/site.css'] },
];

/** The first bytes of a PNG: a binary file that is not valid UTF-8. */
const LOGO_PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==';

/**
 * The repositories an in-memory repositories provider holds unless told
 * otherwise. `acme/website` has five commits by Ada Lovelace (`ada`) and Grace
 * Hopper (`grace`) from 2025-01-15 to 2025-03-04 on `main` and
 * `feature/dark-mode`; text files, a binary `assets/logo.png`, the directories
 * `src`, `src/styles` and `assets`; and one open, one closed and one merged
 * pull request. `acme/design-system` (archived) and `acme/api` (private) make
 * searches for "acme" span pages.
 */
export const DEFAULT_MEMORY_REPOSITORIES: readonly MemoryRepository[] = Object.freeze<MemoryRepository[]>([
  {
    fullName: 'acme/design-system',
    description: 'Shared components and tokens for Acme sites',
    archived: true,
    stars: 120,
    forks: 8,
    topics: ['design-system', 'css'],
    branches: { main: [{ ...ada, message: 'Publish the tokens', authoredAt: '2024-11-02T10:00:00.000Z', paths: ['tokens.json'] }] },
    files: { 'tokens.json': { content: '{ "color": { "brand": "#0b5fff" } }\n' } },
  },
  {
    fullName: 'acme/website',
    description: 'The public Acme website',
    stars: 42,
    forks: 3,
    topics: ['website', 'html'],
    defaultBranch: 'main',
    branches: {
      main: [
        ...websiteHistory,
        { ...ada, message: 'Add the pricing page', authoredAt: '2025-03-04T10:00:00.000Z', paths: ['src/pages/pricing.html'] },
      ],
      'feature/dark-mode': [
        ...websiteHistory,
        { ...grace, message: 'Add a dark theme', authoredAt: '2025-03-01T12:00:00.000Z', paths: ['src/styles/dark.css'] },
      ],
    },
    files: {
      'README.md': { content: '# Acme website\n\nThe public site of Acme, in plain HTML and CSS.\n' },
      'src/index.html': { content: '<!doctype html>\n<title>Acme</title>\n<img src="/assets/logo.png" alt="Acme">\n' },
      'src/pages/pricing.html': { content: '<h1>Pricing</h1>\n<p>Free for everyone.</p>\n', branches: ['main'] },
      'src/styles/site.css': { content: 'nav { display: flex; flex-wrap: wrap; }\n' },
      'src/styles/dark.css': {
        content: '@media (prefers-color-scheme: dark) { body { background: #111; } }\n',
        branches: ['feature/dark-mode'],
      },
      'assets/logo.png': { content: LOGO_PNG_BASE64, encoding: 'base64' },
    },
    pullRequests: [
      {
        number: 1,
        title: 'Switch to a CSS framework',
        state: 'closed',
        sourceBranch: 'experiment/framework',
        targetBranch: 'main',
        author: 'grace',
        createdAt: '2025-01-20T11:00:00.000Z',
        updatedAt: '2025-01-22T16:00:00.000Z',
      },
      {
        number: 2,
        title: 'Add the pricing page',
        body: 'Adds /pricing.',
        state: 'merged',
        sourceBranch: 'feature/pricing',
        targetBranch: 'main',
        author: 'ada',
        createdAt: '2025-03-03T09:00:00.000Z',
        mergedAt: '2025-03-04T10:00:00.000Z',
      },
      {
        number: 3,
        title: 'Add a dark theme',
        state: 'open',
        draft: true,
        sourceBranch: 'feature/dark-mode',
        targetBranch: 'main',
        author: 'grace',
        createdAt: '2025-03-01T12:30:00.000Z',
      },
    ],
  },
  {
    fullName: 'acme/api',
    description: 'The Acme HTTP API',
    visibility: 'private',
    branches: { main: [{ ...grace, message: 'Start the API', authoredAt: '2025-01-05T09:00:00.000Z', paths: ['main.go'] }] },
    files: { 'main.go': { content: 'package main\n\nfunc main() {}\n' } },
  },
]);
