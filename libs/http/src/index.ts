export { VERSION } from './version';
export {
  createHttpClient,
  type HttpClient,
  type HttpClientSettings,
  type HttpRequestOptions,
  type HttpResponse,
  type ResponseType,
} from './http-client';
export { appendQuery, encodeBody, type EncodedBody, type QueryParameters, type QueryValue } from './http-body';
export {
  errorMessageExcerpt,
  httpFailureError,
  httpResponseError,
  transportFailure,
  type HttpErrorContext,
  type HttpErrorDetails,
  type HttpErrorDetailsReader,
  type HttpErrorResponse,
  type TransportFailure,
} from './http-errors';
export { MAXIMUM_EXCERPT_LENGTH, redactedExcerpt, type RedactedExcerptOptions } from './error-excerpt';
export { normalizeHeaders, rateLimitStatusFromHeaders, retryAfterMsFromHeaders, type HttpResponseHeaders } from './http-headers';
export { classifyHttpStatus, type HttpStatusAnswer, type HttpStatusClassification, type ProviderErrorHint } from './http-status';
export { createProviderErrors, type ProviderErrors, type ProviderErrorsOptions, type ProviderStatusError } from './provider-errors';
export { parseResponse, responseSchemaError, type ResponseContext, type ResponseSchema } from './response-schema';
export { decodeCursor, encodeCursor, type CursorContext } from './cursor';
export { type HttpTransportSettings } from './transport-settings';
export { closeDefaultPools } from './http-pool';
// The SSRF guard lives in core (the platform's outbound webhooks use it too); re-exported for the providers that import it from here.
export { assertPublicHost, isPrivateAddress } from '@switchyard/core';
export { type AuthRequest, type AuthResult, type AuthStrategy, type SecretSource } from './auth/auth-strategy';
export { apiKeyAuth, type ApiKeyAuthOptions } from './auth/api-key-auth';
export { bearerAuth, type BearerAuthOptions } from './auth/bearer-auth';
export { basicAuth, type BasicAuthOptions } from './auth/basic-auth';
export { signedRequestAuth } from './auth/signed-request-auth';
export {
  nextLinkFromHeader,
  paginateCursor,
  paginateLinkHeader,
  paginateOffset,
  type CursorPaginationOptions,
  type OffsetPaginationOptions,
  type PaginationOptions,
} from './pagination';
export { oauth2Auth, type OAuth2AuthOptions, type OAuth2AuthStrategy, type OAuth2Grant, type OAuth2Tokens } from './auth/oauth2-auth';
export { buildAuthorizationUrl, createPkcePair, type AuthorizationUrlOptions, type PkcePair } from './auth/oauth2-pkce';
export { createJwt, jwtBearerAuth, type JwtBearerAuthOptions, type JwtOptions } from './auth/jwt-bearer-auth';
export { type IntegrationSettings } from './integration-manifest';
export {
  createRestIntegration,
  type RestBodyEncoding,
  type RestIntegrationSettings,
  type RestOperationDefinition,
} from './rest-integration';
export { createGraphQLIntegration, type GraphQLIntegrationSettings, type GraphQLOperationDefinition } from './graphql-integration';
export {
  createWebSocketIntegration,
  type WebSocketIntegration,
  type WebSocketIntegrationSettings,
  type WebSocketOperationDefinition,
} from './websocket-integration';
export { fetchThrough } from './dispatcher-fetch';
