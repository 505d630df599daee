/** `@octokit/fixtures-server` ships no types: its default export is an express middleware factory. */
declare module '@octokit/fixtures-server' {
  const fixturesServer: (options: Record<string, unknown>) => (request: unknown, response: unknown, next: () => void) => void;
  export default fixturesServer;
}
