import { createProviderErrors } from '@switchyard/http';

/**
 * GitLab's errors: every message starts `gitlab: ` and records the provider.
 * HTTP answers are classified by `@switchyard/http`'s shared status table with
 * no GitLab hints: GitLab's error bodies carry no code that means more than
 * its status, and its `RateLimit-Remaining: 0` on a 403 is in the table.
 * These errors carry only the provider's own text (input checks, webhook
 * refusals); errors from GitLab's answers are built by the HTTP client, which
 * redacts them with the provider's secrets.
 */
export const errors = createProviderErrors('gitlab');
