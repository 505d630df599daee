import { loadOptionalSetting } from '@switchyard/core';
import { resolveCredentials, type GcpSecrets, type ResolvedCredentials } from './gcp-auth';
import type { GcpProviderSettings } from './gcp-settings';

/**
 * What every service reads from the settings, each on first use (never at
 * creation), and the provider's secrets and error factory.
 */
export interface GcpContext extends GcpSecrets {
  readonly settings: GcpProviderSettings;
  /** The credentials from settings, the key file or none (Application Default Credentials). */
  readonly credentials: () => ResolvedCredentials;
  /** `projectId`, else `GOOGLE_CLOUD_PROJECT`, else the key file's `project_id`. */
  readonly projectId: () => string | undefined;
  /** {@link GcpContext.projectId}, or a `validation` error naming the setting (the REST APIs need one). */
  readonly requireProjectId: () => string;
}

/** The lazily resolved credentials and project one provider object shares across its services. */
export function createGcpContext(settings: GcpProviderSettings, { secrets, errors }: GcpSecrets): GcpContext {
  let resolved: ResolvedCredentials | undefined;
  const credentials = (): ResolvedCredentials => (resolved ??= resolveCredentials(settings, { secrets, errors }));
  const projectId = (): string | undefined =>
    loadOptionalSetting({ settingValue: settings.projectId, environmentVariableName: 'GOOGLE_CLOUD_PROJECT' }) ?? credentials().projectId;
  return {
    settings,
    secrets,
    errors,
    credentials,
    projectId,
    requireProjectId() {
      const project = projectId();
      // tagOperation adds the operation this surfaced in.
      if (project === undefined) {
        throw errors.create({
          kind: 'validation',
          message: 'Cloud Functions and Compute Engine need a project: set projectId or GOOGLE_CLOUD_PROJECT',
          isRetryable: false,
        });
      }
      return project;
    },
  };
}
