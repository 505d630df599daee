import { parse as parseQuery, stringify as stringifyQuery } from 'node:querystring';
import { verifyHmacSignature, type WebhookHmacAlgorithm } from '@switchyard/core';

/**
 * Twilio's request signature as the official `twilio` package (twilio-node 6)
 * checks it, rule for rule: which algorithm, which spellings of the URL,
 * which parameter text. Keeping the rules identical means a request is
 * accepted here exactly when twilio-node's `validateRequest` accepts it.
 */

/** The header naming the algorithm of a SharedKey signature: `key=<sharedKeyId>,algorithm=<algorithm>`. */
export const SIGNATURE_SETTINGS_HEADER = 'X-Twilio-Webhooks-Signature-Settings';

/**
 * The algorithm named by `X-Twilio-Webhooks-Signature-Settings`, as
 * twilio-node reads it: the first non-empty `algorithm=` entry, in any case;
 * none (or no header) means HMAC_SHA1, Twilio's auth-token signature.
 *
 * @returns the digest, or the unknown algorithm's name.
 */
export function signatureAlgorithm(settings: string | undefined): { readonly digest: WebhookHmacAlgorithm } | { readonly unknown: string } {
  let name = 'HMAC_SHA1';
  for (const part of (settings ?? '').split(',')) {
    const separator = part.indexOf('=');
    if (separator === -1 || part.slice(0, separator).trim() !== 'algorithm') continue;
    const value = part.slice(separator + 1).trim();
    if (value !== '') {
      name = value;
      break;
    }
  }
  switch (name.toUpperCase()) {
    case 'HMAC_SHA1':
      return { digest: 'sha1' };
    case 'HMAC_SHA256':
      return { digest: 'sha256' };
    default:
      return { unknown: name };
  }
}

/**
 * The signed text of a form's parameters: each name followed by each of its
 * distinct values, names in code-unit order, a name's values likewise.
 * twilio-node de-duplicates a repeated value (`Tag=vip&Tag=vip` signs
 * `Tagvip`) and sorts repeated values before signing.
 */
export function signedParameters(pairs: readonly (readonly [string, string])[]): string {
  const sorted = [...pairs].sort(([leftName, leftValue], [rightName, rightValue]) =>
    leftName !== rightName ? (leftName < rightName ? -1 : 1) : leftValue < rightValue ? -1 : leftValue > rightValue ? 1 : 0,
  );
  let text = '';
  let previous: readonly [string, string] | undefined;
  for (const pair of sorted) {
    if (previous === undefined || pair[0] !== previous[0] || pair[1] !== previous[1]) text += pair[0] + pair[1];
    previous = pair;
  }
  return text;
}

interface UrlParts {
  readonly scheme: string;
  readonly userInfo: string;
  readonly host: string;
  readonly port: string;
  readonly rest: string;
}

/** The URL's parts, split without normalizing (`new URL` would re-encode `'` as `%27`); none without `scheme://`. */
function splitUrl(url: string): UrlParts | undefined {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(url);
  if (match === null) return undefined;
  const [prefix, scheme = '', authority = ''] = match;
  const userInfoEnd = authority.lastIndexOf('@');
  const hostAndPort = authority.slice(userInfoEnd + 1);
  // A colon starts the port only after the closing bracket of an IPv6 literal.
  const portStart = hostAndPort.indexOf(':', hostAndPort.lastIndexOf(']') + 1);
  return {
    scheme,
    userInfo: authority.slice(0, userInfoEnd + 1),
    host: portStart === -1 ? hostAndPort : hostAndPort.slice(0, portStart),
    port: portStart === -1 ? '' : hostAndPort.slice(portStart),
    rest: url.slice(prefix.length),
  };
}

/** The URL without any port (twilio-node drops non-default ports too). */
function withoutPort(url: string): string {
  const parts = splitUrl(url);
  return parts === undefined ? url : parts.scheme + parts.userInfo + parts.host + parts.rest;
}

/** The URL with `:443` (https) or `:80` (any other scheme) when it has no port. */
function withDefaultPort(url: string): string {
  const parts = splitUrl(url);
  if (parts === undefined || parts.port !== '') return url;
  const port = parts.scheme.toLowerCase() === 'https://' ? ':443' : ':80';
  return parts.scheme + parts.userInfo + parts.host + port + parts.rest;
}

/** The URL with everything after `?` re-encoded by `node:querystring` (`%27` for `'`, `%20` for `+`), for back ends that signed that. */
function withLegacyQuery(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1 || queryStart === url.length - 1) return url;
  return `${url.slice(0, queryStart)}?${stringifyQuery(parseQuery(url.slice(queryStart + 1)))}`;
}

/** The URL as received, without its port and with its default port: what Twilio most likely signed. */
function receivedSpellings(url: string): Set<string> {
  return new Set([withoutPort(url), withDefaultPort(url)]);
}

/** The URL as `new URL` spells it (scheme and host in lower case, `'` as `%27`), each also with a legacy query; none when it does not parse. */
function normalizedSpellings(url: string): Set<string> | undefined {
  if (!URL.canParse(url)) return undefined;
  const normalized = new URL(url).toString();
  const spellings = [withoutPort(normalized), withDefaultPort(normalized)];
  return new Set([...spellings, ...spellings.map(withLegacyQuery)]);
}

/** What {@link twilioSignatureMatches} takes. */
export interface TwilioSignatureOptions {
  /** The auth token, or the SharedKey secret for SharedKey signatures. */
  readonly secret: string;
  /** `X-Twilio-Signature`, canonical base64. */
  readonly signature: string;
  readonly digest: WebhookHmacAlgorithm;
  /** The full URL the request was posted to, as the host knows it. */
  readonly url: string;
  /** {@link signedParameters} of the form; empty for a JSON body (`bodySHA256`). */
  readonly parameters: string;
}

/**
 * Whether the signature is the HMAC of some spelling of the URL followed by
 * the parameters. Tried in twilio-node's order: the URL as received (with
 * and without its port), then as `new URL` normalizes it (also with a
 * legacy-encoded query). Each distinct spelling is hashed once; the
 * parameter text is built once by the caller.
 *
 * @returns `undefined` when no received spelling matched and the URL does not parse (twilio-node throws there).
 */
export function twilioSignatureMatches(options: TwilioSignatureOptions): boolean | undefined {
  const matches = (url: string) =>
    verifyHmacSignature({
      secret: options.secret,
      payload: url + options.parameters,
      signature: options.signature,
      algorithm: options.digest,
      encoding: 'base64',
    });
  const received = receivedSpellings(options.url);
  for (const url of received) if (matches(url)) return true;
  const normalized = normalizedSpellings(options.url);
  if (normalized === undefined) return undefined;
  for (const url of normalized) if (!received.has(url) && matches(url)) return true;
  return false;
}
