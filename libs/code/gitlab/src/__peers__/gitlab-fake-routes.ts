import type { FakeProject, FakeState } from './gitlab-fake-data';

type Json = Record<string, unknown>;

/** A request below `/api/v4`, path segments decoded (so "diaspora%2Fsite" is one segment). */
export interface ApiRequest {
  readonly method: string;
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
  readonly parameters: Record<string, unknown>;
  readonly baseURL: string;
}

/** What the fake answers. */
export interface ApiResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

const notFound = (what: string): ApiResult => ({ status: 404, body: { message: `404 ${what} Not Found` } });
const missing = (parameter: string): ApiResult => ({ status: 400, body: { error: `${parameter} is missing` } });

/** Offset pagination as documented: `page`, `per_page` (default 20, max 100) and the `X-*` and `Link` headers. */
function paginate(items: readonly unknown[], request: ApiRequest): ApiResult {
  const page = Math.max(1, Number(request.query.get('page') ?? 1) || 1);
  const perPage = Math.min(100, Math.max(1, Number(request.query.get('per_page') ?? 20) || 20));
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  const next = page < totalPages ? String(page + 1) : '';
  const link = (target: number, rel: string) => {
    const query = new URLSearchParams(request.query);
    query.set('page', String(target));
    query.set('per_page', String(perPage));
    return `<${request.baseURL}/api/v4/${request.segments.map(encodeURIComponent).join('/')}?${query.toString()}>; rel="${rel}"`;
  };
  const links = [...(next === '' ? [] : [link(page + 1, 'next')]), link(1, 'first'), link(totalPages, 'last')];
  return {
    status: 200,
    body: items.slice((page - 1) * perPage, page * perPage),
    headers: {
      'x-page': String(page),
      'x-per-page': String(perPage),
      'x-next-page': next,
      'x-prev-page': page > 1 ? String(page - 1) : '',
      'x-total': String(items.length),
      'x-total-pages': String(totalPages),
      link: links.join(', '),
    },
  };
}

function findProject(state: FakeState, id: string): FakeProject | undefined {
  return state.projects.find((project) => String(project.json.id) === id || project.json.path_with_namespace === id);
}

function labelList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String).filter((label) => label !== '');
  return typeof value === 'string'
    ? value
        .split(',')
        .map((label) => label.trim())
        .filter((label) => label !== '')
    : [];
}

function assignees(state: FakeState, value: unknown): Json[] {
  const ids = Array.isArray(value) ? value.map(Number) : value === undefined || value === null || value === '' ? [] : [Number(value)];
  return state.users
    .filter((user) => ids.includes(Number(user.id)))
    .map((user) => ({ id: user.id, username: user.username, name: user.name }));
}

function listProjects(state: FakeState, request: ApiRequest): ApiResult {
  const search = request.query.get('search')?.toLowerCase();
  const namespaces = request.query.get('search_namespaces') === 'true';
  const matches = state.projects
    .map((project) => project.json)
    .filter((json) => {
      if (search === undefined) return true;
      const fields = [json.name, json.path, ...(namespaces ? [json.path_with_namespace] : []), json.description];
      return fields.some((field) => typeof field === 'string' && field.toLowerCase().includes(search));
    })
    .sort((left, right) => (request.query.get('sort') === 'asc' ? Number(left.id) - Number(right.id) : Number(right.id) - Number(left.id)));
  return paginate(matches, request);
}

function listIssues(project: FakeProject, request: ApiRequest): ApiResult {
  const state = request.query.get('state') ?? 'all';
  const labels = labelList(request.query.get('labels') ?? undefined);
  const assignee = request.query.get('assignee_username');
  const search = request.query.get('search')?.toLowerCase();
  const within = (request.query.get('in') ?? 'title,description').split(',');
  const matches = project.issues
    .filter((issue) => state === 'all' || issue.state === state)
    .filter((issue) => labels.every((label) => (issue.labels as string[]).includes(label)))
    .filter((issue) => assignee === null || (issue.assignees as Json[]).some((user) => user.username === assignee))
    .filter(
      (issue) =>
        search === undefined ||
        within.some((field) => (typeof issue[field] === 'string' ? issue[field] : '').toLowerCase().includes(search)),
    )
    .sort((left, right) => String(right.updated_at).localeCompare(String(left.updated_at)) || Number(right.iid) - Number(left.iid));
  return paginate(matches, request);
}

function createIssue(state: FakeState, project: FakeProject, parameters: Json): ApiResult {
  if (typeof parameters.title !== 'string' || parameters.title === '') return missing('title');
  const iid = Math.max(0, ...project.issues.map((issue) => Number(issue.iid))) + 1;
  const now = new Date().toISOString();
  const issue: Json = {
    id: (state.nextId += 1),
    iid,
    project_id: project.json.id,
    title: parameters.title,
    description: typeof parameters.description === 'string' ? parameters.description : null,
    state: 'opened',
    labels: labelList(parameters.labels),
    assignees: assignees(state, parameters.assignee_ids),
    author: state.users[0],
    created_at: now,
    updated_at: now,
    closed_at: null,
    user_notes_count: 0,
    web_url: `${String(project.json.web_url)}/-/issues/${iid}`,
  };
  project.issues.push(issue);
  return { status: 201, body: issue };
}

function updateIssue(state: FakeState, issue: Json, parameters: Json): ApiResult {
  if (typeof parameters.title === 'string') issue.title = parameters.title;
  if (typeof parameters.description === 'string') issue.description = parameters.description;
  if (parameters.labels !== undefined) issue.labels = labelList(parameters.labels);
  if (parameters.assignee_ids !== undefined) issue.assignees = assignees(state, parameters.assignee_ids);
  if (parameters.state_event === 'close') issue.state = 'closed';
  if (parameters.state_event === 'reopen') issue.state = 'opened';
  issue.closed_at = issue.state === 'closed' ? new Date().toISOString() : null;
  issue.updated_at = new Date().toISOString();
  return { status: 200, body: issue };
}

function createNote(state: FakeState, project: FakeProject, issue: Json, parameters: Json): ApiResult {
  if (typeof parameters.body !== 'string' || parameters.body === '') return missing('body');
  const now = new Date().toISOString();
  const note: Json = {
    id: (state.nextId += 1),
    body: parameters.body,
    author: state.users[0],
    created_at: now,
    updated_at: now,
    system: false,
    noteable_id: issue.id,
    noteable_type: 'Issue',
    noteable_iid: issue.iid,
  };
  const notes = project.notes.get(Number(issue.iid)) ?? [];
  notes.push(note);
  project.notes.set(Number(issue.iid), notes);
  return { status: 201, body: note };
}

function repository(project: FakeProject, rest: readonly string[], request: ApiRequest): ApiResult {
  const ref = request.query.get('ref') ?? request.query.get('ref_name') ?? String(project.json.default_branch);
  // A ref is the default branch or a commit SHA (or its prefix): history starts at that commit.
  const start =
    ref === project.json.default_branch
      ? 0
      : ref.length >= 7
        ? project.commits.findIndex((commit) => String(commit.json.id).startsWith(ref))
        : -1;
  if (start < 0) return notFound(rest[0] === 'commits' ? 'Commit' : 'Tree');
  if (rest[0] === 'commits' && rest.length === 1) {
    const author = request.query.get('author')?.toLowerCase();
    const since = request.query.get('since');
    const until = request.query.get('until');
    const path = request.query.get('path');
    const commits = project.commits
      .slice(start)
      .filter(
        (commit) =>
          author === undefined ||
          [commit.json.author_name, commit.json.author_email].some((field) => String(field).toLowerCase().includes(author)),
      )
      .filter((commit) => since === null || Date.parse(String(commit.json.authored_date)) >= Date.parse(since))
      .filter((commit) => until === null || Date.parse(String(commit.json.authored_date)) <= Date.parse(until))
      .filter((commit) => path === null || commit.paths.some((touched) => touched === path || touched.startsWith(`${path}/`)))
      .map((commit) => commit.json);
    return paginate(commits, request);
  }
  if (rest[0] === 'files' && rest.length === 2) {
    if (request.query.get('ref') === null) return missing('ref');
    const file = project.files.find((entry) => entry.path === rest[1]);
    if (file === undefined) return notFound('File');
    const content = Buffer.from(file.content, 'utf8');
    const name = file.path.split('/').pop();
    return {
      status: 200,
      body: {
        file_name: name,
        file_path: file.path,
        size: content.length,
        encoding: 'base64',
        content: content.toString('base64'),
        ref,
        blob_id: file.blobId,
      },
    };
  }
  if (rest[0] === 'tree' && rest.length === 1) {
    const prefix = request.query.get('path') ?? '';
    const below = project.files
      .filter((file) => prefix === '' || file.path.startsWith(`${prefix}/`))
      .map((file) => file.path.slice(prefix === '' ? 0 : prefix.length + 1));
    if (prefix !== '' && below.length === 0) return notFound('Tree');
    const names = [...new Set(below.map((path) => path.split('/')[0]!))];
    const entries = names.map((name) => ({
      name,
      path: prefix === '' ? name : `${prefix}/${name}`,
      type: below.includes(name) ? 'blob' : 'tree',
      mode: below.includes(name) ? '100644' : '040000',
    }));
    return paginate(entries, request);
  }
  return notFound('');
}

function listMergeRequests(project: FakeProject, request: ApiRequest): ApiResult {
  const state = request.query.get('state') ?? 'all';
  const target = request.query.get('target_branch');
  const matches = project.mergeRequests
    .filter((mergeRequest) => state === 'all' || mergeRequest.state === state)
    .filter((mergeRequest) => target === null || mergeRequest.target_branch === target)
    .sort((left, right) => String(right.created_at).localeCompare(String(left.created_at)));
  return paginate(matches, request);
}

function hooks(state: FakeState, project: FakeProject, rest: readonly string[], request: ApiRequest): ApiResult {
  if (rest.length === 0 && request.method === 'GET') return paginate(project.hooks, request);
  if (rest.length === 0 && request.method === 'POST') {
    const parameters = request.parameters;
    if (typeof parameters.url !== 'string' || parameters.url === '') return missing('url');
    const flags = [
      'push_events',
      'issues_events',
      'merge_requests_events',
      'note_events',
      'tag_push_events',
      'pipeline_events',
      'job_events',
      'releases_events',
      'wiki_page_events',
      'deployment_events',
    ];
    const hook: Json = {
      id: (state.nextId += 1),
      url: parameters.url,
      project_id: project.json.id,
      enable_ssl_verification: parameters.enable_ssl_verification !== false,
      created_at: new Date().toISOString(),
    };
    for (const flag of flags) hook[flag] = flag === 'push_events' ? parameters[flag] !== false : parameters[flag] === true;
    project.hooks.push(hook);
    return { status: 201, body: hook };
  }
  const index = project.hooks.findIndex((hook) => String(hook.id) === rest[0]);
  if (rest.length === 1 && request.method === 'DELETE') {
    if (index < 0) return notFound('');
    project.hooks.splice(index, 1);
    return { status: 204 };
  }
  if (rest.length === 1 && request.method === 'GET') return index < 0 ? notFound('') : { status: 200, body: project.hooks[index] };
  return { status: 405, body: { message: '405 Method Not Allowed' } };
}

/** Routes one authenticated `/api/v4` request. */
export function handleApi(state: FakeState, request: ApiRequest): ApiResult {
  const [resource, id, collection, item, ...rest] = request.segments;
  if (resource === 'version') return { status: 200, body: { version: '17.5.0', revision: 'fake' } };
  if (resource === 'users' && id === undefined) {
    const username = request.query.get('username')?.toLowerCase();
    return paginate(
      state.users.filter((user) => username === undefined || String(user.username).toLowerCase() === username),
      request,
    );
  }
  if (resource !== 'projects') return notFound('');
  if (id === undefined) return listProjects(state, request);
  const project = findProject(state, id);
  if (project === undefined) return notFound('Project');
  if (collection === undefined) return { status: 200, body: project.json };
  if (collection === 'issues') {
    if (item === undefined)
      return request.method === 'POST' ? createIssue(state, project, request.parameters) : listIssues(project, request);
    const issue = project.issues.find((entry) => String(entry.iid) === item);
    if (issue === undefined) return { status: 404, body: { message: '404 Not found' } };
    if (rest.length === 0) return request.method === 'PUT' ? updateIssue(state, issue, request.parameters) : { status: 200, body: issue };
    if (rest[0] === 'notes' && request.method === 'POST') return createNote(state, project, issue, request.parameters);
    if (rest[0] === 'notes') return paginate(project.notes.get(Number(issue.iid)) ?? [], request);
  }
  if (collection === 'repository' && item !== undefined) return repository(project, [item, ...rest], request);
  if (collection === 'merge_requests' && item === undefined) return listMergeRequests(project, request);
  if (collection === 'hooks') return hooks(state, project, item === undefined ? [] : [item, ...rest], request);
  return notFound('');
}
