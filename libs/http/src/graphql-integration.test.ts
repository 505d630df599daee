import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHub, type Hub, type ProviderV1 } from '@switchyard/core';
import { createCallContext, startFaultServer, type FaultServer, type RecordedRequest } from '@switchyard/testing';
import { bearerAuth, createGraphQLIntegration } from './index';

const readOnly = { readOnly: true, destructive: false, idempotent: true };
const SECRET = 'graphql-secret-token';

/** A tiny GraphQL-over-HTTP server: answers by the operation name in the document, echoing the variables. */
function answer(request: RecordedRequest): { status?: number; headers?: Record<string, string>; body: unknown } {
  const { query, variables } = JSON.parse(request.body) as { query: string; variables: Record<string, unknown> };
  const operation = /^(?:query|mutation)\s+(\w+)/.exec(query)?.[1];
  const graphqlError = (message: string, code: string) => ({
    body: { data: null, errors: [{ message, path: ['issue'], extensions: { code } }] },
  });
  switch (operation) {
    case 'Issue':
      return variables.id === 'missing'
        ? { body: { data: { issue: null } } }
        : { body: { data: { issue: { id: variables.id, title: 'Broken link', unused: true } } } };
    case 'Invalid':
      return graphqlError('Cannot query field "titel" on type "Issue".', 'GRAPHQL_VALIDATION_FAILED');
    case 'BadInput':
      return graphqlError('Variable "$id" got invalid value', 'BAD_USER_INPUT');
    case 'Denied':
      return graphqlError(`Token ${SECRET} is not allowed`, 'FORBIDDEN');
    case 'Limited':
      return { headers: { 'retry-after': '3' }, ...graphqlError('Too many requests', 'RATE_LIMITED') };
    case 'Broken':
      return { body: { data: null, errors: [{ message: 'Internal failure' }] } };
    case 'Shaped':
      return { body: { data: { issue: { id: 7 } } } };
    default:
      return { status: 400, body: { errors: [{ message: `Unknown operation ${operation}` }] } };
  }
}

const issueOutput = z.object({ issue: z.object({ id: z.string(), title: z.string() }).nullable() });

function operation(document: string) {
  return { document, input: z.object({}), output: z.object({}).passthrough(), hints: readOnly, description: document };
}

describe('createGraphQLIntegration', () => {
  let server: FaultServer;
  let hub: Hub;
  let integration: ProviderV1;

  beforeAll(async () => {
    server = await startFaultServer({ 'POST /graphql': answer });
    integration = createGraphQLIntegration({
      id: 'acme-graph',
      name: 'Acme Graph',
      category: 'project-management',
      docsUrl: 'https://docs.acme.dev/graphql',
      endpoint: `${server.url}/graphql`,
      allowPrivateNetwork: true,
      auth: bearerAuth({ token: SECRET }),
      operations: {
        getIssue: {
          document: 'query Issue($id: ID!) { issue(id: $id) { id title } }',
          input: z.object({ issueId: z.string().min(1) }),
          variables: (input) => ({ id: input.issueId }),
          output: issueOutput,
          hints: readOnly,
          description: 'Reads one issue',
        },
        getIssueByVariables: {
          document: 'query Issue($id: ID!) { issue(id: $id) { id title } }',
          input: z.object({ id: z.string() }),
          output: issueOutput,
          hints: readOnly,
          description: 'Reads one issue; the input is the variables',
        },
        invalid: operation('query Invalid { issue { titel } }'),
        badInput: operation('query BadInput { issue { id } }'),
        denied: operation('query Denied { issue { id } }'),
        limited: operation('query Limited { issue { id } }'),
        broken: operation('query Broken { issue { id } }'),
        shaped: { ...operation('query Shaped { issue { id } }'), output: issueOutput },
        unknown: operation('query Unknown { issue { id } }'),
      },
    });
    hub = createHub({ providers: [integration] });
  });

  afterAll(async () => {
    await hub.close();
    await server.close();
  });

  it('POSTs the document and variables built from the input, with auth, and returns data', async () => {
    const result = await hub.callProviderOperation('acme-graph', 'getIssue', { issueId: 'ISS-1' });
    expect(result).toEqual({ issue: { id: 'ISS-1', title: 'Broken link' } });
    const recorded = server.requests.at(-1)!;
    expect(recorded.method).toBe('POST');
    expect(recorded.headers['content-type']).toBe('application/json');
    expect(recorded.headers.accept).toContain('application/graphql-response+json');
    expect(recorded.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(JSON.parse(recorded.body)).toEqual({
      query: 'query Issue($id: ID!) { issue(id: $id) { id title } }',
      variables: { id: 'ISS-1' },
    });
  });

  it('sends the input as the variables when no mapping is given', async () => {
    await expect(hub.callProviderOperation('acme-graph', 'getIssueByVariables', { id: 'missing' })).resolves.toEqual({ issue: null });
    expect(JSON.parse(server.requests.at(-1)!.body)).toMatchObject({ variables: { id: 'missing' } });
  });

  it('lists the operations as hub tools', () => {
    expect(hub.tools.get('acme_graph_get_issue')?.target).toEqual({ kind: 'provider', provider: 'acme-graph', operation: 'getIssue' });
  });

  it.each([
    ['invalid', 'validation', 'GRAPHQL_VALIDATION_FAILED'],
    ['badInput', 'validation', 'BAD_USER_INPUT'],
    ['denied', 'auth', 'FORBIDDEN'],
    ['limited', 'rate_limit', 'RATE_LIMITED'],
    ['broken', 'provider', 'Internal failure'],
  ])('turns errors of %s into a %s IntegrationError', async (name, kind, quoted) => {
    const error = (await hub.callProviderOperation('acme-graph', name, {}).catch((caught: unknown) => caught)) as Record<string, unknown>;
    expect(error).toMatchObject({ name: 'IntegrationError', kind, provider: 'acme-graph', operation: name });
    expect(error.message).toContain(quoted);
  });

  it('keeps retry-after on a rate-limit error and redacts secrets from messages', async () => {
    const limited = await hub.callProviderOperation('acme-graph', 'limited', {}).catch((caught: unknown) => caught);
    expect(limited).toMatchObject({ kind: 'rate_limit', retryAfterMs: 3000 });
    const denied = (await hub.callProviderOperation('acme-graph', 'denied', {}).catch((caught: unknown) => caught)) as Error;
    expect(denied.message).toContain('is not allowed');
    expect(denied.message).not.toContain(SECRET);
    expect(JSON.stringify(denied)).not.toContain(SECRET);
  });

  it('redacts the token from errors of a direct call too, with the provider’s secrets', async () => {
    const denied = (await integration.operations!.denied!.execute({}, createCallContext()).catch((caught: unknown) => caught)) as Error;
    expect(denied.message).toContain('is not allowed');
    expect(denied.message).not.toContain(SECRET);
    expect(JSON.stringify(denied)).not.toContain(SECRET);
    expect(integration.secrets?.size).toBe(1);
  });

  it('names the data field that does not match the output schema', async () => {
    await expect(hub.callProviderOperation('acme-graph', 'shaped', {})).rejects.toMatchObject({
      kind: 'provider',
      message: expect.stringContaining('field "data.issue.id"') as unknown,
    });
  });

  it('maps an HTTP error status through the shared mapper', async () => {
    await expect(hub.callProviderOperation('acme-graph', 'unknown', {})).rejects.toMatchObject({ kind: 'validation', statusCode: 400 });
  });

  it('rejects invalid input before any request', async () => {
    const before = server.requests.length;
    await expect(hub.callProviderOperation('acme-graph', 'getIssue', { issueId: '' })).rejects.toMatchObject({ kind: 'validation' });
    expect(server.requests.length).toBe(before);
  });

  it('declares a frozen manifest without capabilities', () => {
    const provider = hub.registry.get('acme-graph')!;
    expect(provider.manifest).toMatchObject({ capabilities: [], authKinds: ['bearer'], docsUrl: 'https://docs.acme.dev/graphql' });
    expect(Object.isFrozen(provider.manifest)).toBe(true);
  });
});
