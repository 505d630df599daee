import { createProviderErrors } from '@switchyard/http';

/**
 * GitLab's errors: every message starts `gitlab: ` and records the provider.
 * HTTP answers are classified by `@switchyard/http`'s shared status table with
 * no GitLab hints: GitLab's error bodies carry no code that means more than
 * its status, and its `RateLimit-Remaining: 0` on a 403 is in the table.
 */
export const errors = createProviderErrors('gitlab');
