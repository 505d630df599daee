import { hmacSignature, IntegrationError, type InboundWebhook } from '@switchyard/core';
import fc from 'fast-check';
import {
  getExpectedBodyHash,
  getExpectedTwilioSignature,
  getSignatureAlgorithm,
  validateRequest,
  validateRequestWithBody,
} from 'twilio/lib/webhooks/webhooks.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTwilio } from './index';

/**
 * The same requests judged by twilio-node 6 (the official `twilio` package)
 * and by the provider's `verify`: each must accept exactly what the other
 * accepts.
 */

const webhooks = createTwilio().webhooks;
const SECRET = 'twilio-differential-secret-7b1e';
const SHA256_SETTINGS = 'key=webhooks_sharedkey_0123456789abcdef,algorithm=HMAC_SHA256';

/** A form body as a host's body parser hands it to twilio-node: repeated names become arrays. */
function formParameters(form: string): Record<string, string | string[]> {
  const parameters = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of new URLSearchParams(form)) {
    const existing = parameters[name];
    parameters[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return parameters;
}

/** A request as it reaches the host: the URL it is known by, the body, and Twilio's headers. */
interface Delivery {
  readonly url: string;
  readonly body: string;
  readonly signature: string | undefined;
  readonly settings?: string | undefined;
}

/** twilio-node's `webhook()` middleware given the URL: `validateRequestWithBody` when the URL names `bodySHA256`, else `validateRequest`. */
function twilioNodeAccepts(delivery: Delivery): boolean {
  if (delivery.signature === undefined || delivery.signature === '') return false;
  const algorithm = getSignatureAlgorithm(delivery.settings);
  try {
    if (delivery.url.indexOf('bodySHA256') > 0)
      return validateRequestWithBody(SECRET, delivery.signature, delivery.url, delivery.body, algorithm);
    return validateRequest(SECRET, delivery.signature, delivery.url, formParameters(delivery.body), algorithm);
  } catch {
    return false; // `new URL()` throws on a URL it cannot parse
  }
}

function inbound(delivery: Delivery): InboundWebhook {
  return {
    headers: {
      'content-type': delivery.url.includes('bodySHA256') ? 'application/json' : 'application/x-www-form-urlencoded',
      ...(delivery.signature === undefined ? {} : { 'x-twilio-signature': delivery.signature }),
      ...(delivery.settings === undefined ? {} : { 'x-twilio-webhooks-signature-settings': delivery.settings }),
    },
    rawBody: delivery.body,
    url: delivery.url,
  };
}

function switchyardAccepts(delivery: Delivery): boolean {
  try {
    webhooks.verify(inbound(delivery), SECRET);
    return true;
  } catch (error) {
    if (IntegrationError.isInstance(error) && (error.kind === 'auth' || error.kind === 'validation')) return false;
    throw error;
  }
}

/** What Twilio sends: twilio-node's expected signature for the URL it posted to and the parameters it sent. */
function twilioSignature(signedUrl: string, body: string, algorithm = 'HMAC_SHA1'): string {
  const parameters = signedUrl.includes('bodySHA256') ? {} : formParameters(body);
  return getExpectedTwilioSignature(SECRET, signedUrl, parameters, algorithm);
}

const FORM = 'To=%2B15017122661&MessageSid=SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb&Body=Hello+from+the+other+side%21&From=%2B15558675310';
const URL_ = 'https://hooks.example.com/twilio/sms?integration=alerts';
const JSON_BODY = JSON.stringify({ flow: 'FW123', to: '+15558675310' });
const JSON_URL = `https://hooks.example.com/studio?bodySHA256=${getExpectedBodyHash(JSON_BODY)}`;

interface Case {
  readonly name: string;
  /** The URL Twilio posted to and signed; default: `url`. */
  readonly signedUrl?: string;
  /** The URL the host knows the request by. Default: `URL_`, or `JSON_URL` for `body: JSON_BODY`. */
  readonly url?: string;
  readonly body?: string;
  /** The algorithm Twilio signed with. Default: HMAC_SHA1. */
  readonly algorithm?: string;
  readonly settings?: string;
  /** A signature not made by twilio-node's signer, replacing it. */
  readonly signature?: string;
  readonly accepted: boolean;
}

function delivery(testCase: Case): Delivery {
  const body = testCase.body ?? FORM;
  const url = testCase.url ?? (body === JSON_BODY ? JSON_URL : URL_);
  const signature = testCase.signature ?? twilioSignature(testCase.signedUrl ?? url, body, testCase.algorithm);
  return { url, body, signature, settings: testCase.settings };
}

const sha1Over = (text: string) => hmacSignature({ secret: SECRET, payload: text, algorithm: 'sha1', encoding: 'base64' });

const CASES: readonly Case[] = [
  { name: 'HMAC-SHA1 with the auth token', accepted: true },
  {
    name: 'HMAC-SHA256 named by X-Twilio-Webhooks-Signature-Settings',
    algorithm: 'HMAC_SHA256',
    settings: SHA256_SETTINGS,
    accepted: true,
  },
  {
    name: 'the algorithm in lower case, with spaces',
    algorithm: 'HMAC_SHA256',
    settings: 'key=k1, algorithm = hmac_sha256 ',
    accepted: true,
  },
  { name: 'a settings header naming no algorithm (HMAC-SHA1)', settings: 'key=webhooks_sharedkey_1', accepted: true },
  { name: 'an explicit HMAC_SHA1 setting', settings: 'algorithm=HMAC_SHA1,key=k1', accepted: true },
  { name: 'HMAC-SHA256 without the settings header', algorithm: 'HMAC_SHA256', accepted: false },
  { name: 'HMAC-SHA1 under a settings header naming HMAC_SHA256', settings: SHA256_SETTINGS, accepted: false },
  { name: 'an algorithm twilio-node does not know', algorithm: 'HMAC_SHA256', settings: 'algorithm=HMAC_SHA512', accepted: false },
  { name: 'a repeated identical parameter (twilio-node signs it once)', body: `${FORM}&Tag=vip&Tag=vip`, accepted: true },
  { name: 'repeated parameters in any order', body: `${FORM}&Tag=vip&Tag=gold&Tag=vip`, accepted: true },
  {
    name: 'a repeated parameter signed twice (not what twilio-node signs)',
    body: `${FORM}&Tag=vip&Tag=vip`,
    signature: sha1Over(
      `${URL_}Body=Hello from the other side!From+15558675310MessageSidSMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbTagvipTagvipTo+15017122661`,
    ),
    accepted: false,
  },
  {
    name: 'an identical parameter added to a signed form',
    body: `${FORM}&Tag=vip&Tag=vip`,
    signature: twilioSignature(URL_, `${FORM}&Tag=vip`),
    accepted: true,
  },
  {
    name: 'a different value added to a repeated parameter',
    body: `${FORM}&Tag=vip&Tag=gold`,
    signature: twilioSignature(URL_, `${FORM}&Tag=vip`),
    accepted: false,
  },
  {
    name: 'the URL with :443, signed without',
    url: 'https://hooks.example.com:443/twilio/sms?integration=alerts',
    signedUrl: URL_,
    accepted: true,
  },
  {
    name: 'the URL without a port, signed with :443',
    signedUrl: 'https://hooks.example.com:443/twilio/sms?integration=alerts',
    accepted: true,
  },
  {
    name: 'http with :80, signed without',
    url: 'http://hooks.example.com:80/twilio/sms',
    signedUrl: 'http://hooks.example.com/twilio/sms',
    accepted: true,
  },
  { name: 'an upper-case scheme', url: 'HTTPS://hooks.example.com/twilio/sms?integration=alerts', signedUrl: URL_, accepted: true },
  { name: 'an upper-case host', url: 'https://Hooks.Example.COM/twilio/sms?integration=alerts', signedUrl: URL_, accepted: true },
  {
    name: 'an upper-case scheme and host with :443',
    url: 'HTTPS://HOOKS.EXAMPLE.COM:443/twilio/sms?integration=alerts',
    signedUrl: URL_,
    accepted: true,
  },
  {
    name: "a ' in the query, signed as %27",
    url: "https://hooks.example.com/twilio/sms?name=O'Brien",
    signedUrl: 'https://hooks.example.com/twilio/sms?name=O%27Brien',
    accepted: true,
  },
  {
    name: "%27 in the query, signed as '",
    url: 'https://hooks.example.com/twilio/sms?name=O%27Brien',
    signedUrl: "https://hooks.example.com/twilio/sms?name=O'Brien",
    accepted: true,
  },
  {
    name: 'a + in the query, signed as %20',
    url: 'https://hooks.example.com/twilio/sms?q=a+b',
    signedUrl: 'https://hooks.example.com/twilio/sms?q=a%20b',
    accepted: true,
  },
  { name: 'an IPv6 host with :443', url: 'https://[::1]:443/twilio/sms', signedUrl: 'https://[::1]/twilio/sms', accepted: true },
  {
    name: 'a non-default port dropped (twilio-node removes any port)',
    url: 'https://hooks.example.com:8443/twilio/sms',
    signedUrl: 'https://hooks.example.com/twilio/sms',
    accepted: true,
  },
  {
    name: 'another non-default port',
    url: 'https://hooks.example.com:8443/twilio/sms',
    signedUrl: 'https://hooks.example.com:9443/twilio/sms',
    accepted: false,
  },
  { name: 'http for https', url: 'http://hooks.example.com/twilio/sms?integration=alerts', signedUrl: URL_, accepted: false },
  { name: 'an upper-case path', url: 'https://hooks.example.com/Twilio/sms?integration=alerts', signedUrl: URL_, accepted: false },
  { name: 'a changed query', url: 'https://hooks.example.com/twilio/sms?integration=other', signedUrl: URL_, accepted: false },
  {
    name: 'a non-canonical base64 signature',
    signature: twilioSignature(URL_, FORM)
      .replace(/=$/, '')
      .replace(/.$/, (last) => (last === 'A' ? 'B' : 'A')),
    accepted: false,
  },
  { name: 'no signature', signature: '', accepted: false },
  { name: 'a JSON body with bodySHA256 (HMAC-SHA1)', body: JSON_BODY, accepted: true },
  {
    name: 'a JSON body with bodySHA256 (HMAC-SHA256)',
    body: JSON_BODY,
    algorithm: 'HMAC_SHA256',
    settings: SHA256_SETTINGS,
    accepted: true,
  },
  {
    name: 'a JSON body at :443, signed without',
    body: JSON_BODY,
    url: JSON_URL.replace('.com/', '.com:443/'),
    signedUrl: JSON_URL,
    accepted: true,
  },
  { name: 'a JSON body that was changed', body: JSON_BODY.replace('FW123', 'FW124'), url: JSON_URL, accepted: false },
  {
    name: 'bodySHA256 in upper-case hex (twilio-node compares the text)',
    body: JSON_BODY,
    url: JSON_URL.replace(/bodySHA256=(\w+)/, (_, hash: string) => `bodySHA256=${hash.toUpperCase()}`),
    accepted: false,
  },
  { name: 'a form at a URL that names bodySHA256 but does not carry it', url: 'https://hooks.example.com/bodySHA256/sms', accepted: false },
  { name: 'a URL that does not parse, signed as it is', url: 'https://hooks.example.com:99999/twilio/sms', accepted: true },
  {
    name: 'a URL that does not parse, signed otherwise',
    url: 'https://hooks.example.com:99999/twilio/sms',
    signedUrl: URL_,
    accepted: false,
  },
];

describe('twilio webhook verification agrees with twilio-node', () => {
  beforeAll(() => {
    // twilio-node warns on the console about an algorithm it does not know.
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });

  it.each(CASES)('$name: accepted $accepted', (testCase) => {
    const arriving = delivery(testCase);
    expect(twilioNodeAccepts(arriving)).toBe(testCase.accepted);
    expect(switchyardAccepts(arriving)).toBe(testCase.accepted);
  });

  it('gives the same answer as twilio-node on 2,000 generated URL spellings, forms and signature settings', () => {
    // One webhook URL, spelled by Twilio's signer and by the host independently.
    const place = fc.record({
      scheme: fc.constantFrom('https', 'http'),
      host: fc.constantFrom('hooks.example.com', '127.0.0.1', '[::1]', 'user@hooks.example.com'),
      path: fc.constantFrom(['/twilio/sms'], ["/o'brien", '/o%27brien'], ['/a b', '/a%20b'], ['/a/../sms', '/sms'], ['']),
      query: fc.constantFrom(
        [''],
        ['?integration=alerts'],
        ["?name=O'Brien", '?name=O%27Brien'],
        ['?q=a+b', '?q=a%20b'],
        ['?a=1&a=1', '?a=1'],
        ['?x=%7e~', '?x=%7E~', '?x=~~'],
      ),
    });
    const spelling = fc.record({
      upperScheme: fc.boolean(),
      upperHost: fc.boolean(),
      port: fc.constantFrom('none', 'default', ':8443'),
      variant: fc.nat(2),
    });
    const values = fc.constantFrom('vip', 'gold', '', 'a b', '+1', "O'Brien", 'ü');
    const form = fc.array(fc.tuple(fc.constantFrom('Tag', 'Body', 'From', 'tag'), values), { maxLength: 6 });
    const formChange = fc.constantFrom('none', 'reverse', 'repeat-first', 'drop-first', 'add');
    // [the algorithm Twilio signed with, the settings header it sent]
    const signing = fc.constantFrom<[string, string | undefined]>(
      ['HMAC_SHA1', undefined],
      ['HMAC_SHA1', ''],
      ['HMAC_SHA1', 'key=k1'],
      ['HMAC_SHA1', 'algorithm=hmac_sha1'],
      ['HMAC_SHA256', SHA256_SETTINGS],
      ['HMAC_SHA256', ' algorithm=hmac_sha256,key=k1'],
      ['HMAC_SHA256', undefined],
      ['HMAC_SHA1', SHA256_SETTINGS],
      ['HMAC_SHA256', 'algorithm=HMAC_SHA512'],
    );
    type Place = { scheme: string; host: string; path: readonly string[]; query: readonly string[] };
    type Spelling = { upperScheme: boolean; upperHost: boolean; port: string; variant: number };
    const toUrl = (at: Place, as: Spelling, json: string | undefined) => {
      const scheme = as.upperScheme ? at.scheme.toUpperCase() : at.scheme;
      const host = as.upperHost ? at.host.toUpperCase() : at.host;
      const port = as.port === 'none' ? '' : as.port === 'default' ? (at.scheme === 'https' ? ':443' : ':80') : as.port;
      const query = at.query[as.variant % at.query.length]!;
      const bodyQuery = json === undefined ? query : `${query === '' ? '?' : `${query}&`}bodySHA256=${getExpectedBodyHash(json)}`;
      return `${scheme}://${host}${port}${at.path[as.variant % at.path.length]!}${bodyQuery}`;
    };
    const changed = (pairs: [string, string][], change: string): [string, string][] => {
      if (change === 'reverse') return [...pairs].reverse();
      if (change === 'repeat-first') return pairs.length === 0 ? pairs : [...pairs, pairs[0]!];
      if (change === 'drop-first') return pairs.slice(1);
      if (change === 'add') return [...pairs, ['Tag', 'added']];
      return pairs;
    };
    let agreedAccepts = 0;
    let agreedRejects = 0;
    fc.assert(
      fc.property(
        place,
        spelling,
        spelling,
        form,
        formChange,
        signing,
        fc.boolean(),
        (at, signedAs, arrivingAs, sentForm, change, [algorithm, settings], isJson) => {
          const sent = new URLSearchParams(sentForm).toString();
          const json = isJson ? JSON.stringify({ form: sent }) : undefined;
          const arriving: Delivery = {
            url: toUrl(at, arrivingAs, json),
            body: json ?? new URLSearchParams(changed(sentForm, change)).toString(),
            signature: twilioSignature(toUrl(at, signedAs, json), json ?? sent, algorithm),
            settings,
          };
          const expected = twilioNodeAccepts(arriving);
          expect(switchyardAccepts(arriving)).toBe(expected);
          if (expected) agreedAccepts += 1;
          else agreedRejects += 1;
        },
      ),
      { numRuns: 2000 },
    );
    expect(agreedAccepts).toBeGreaterThan(100); // about 215 expected
    expect(agreedRejects).toBeGreaterThan(100);
  });
});

describe('twilio webhook payloads and headers', () => {
  it('reads a repeated identical parameter as one value, as it was signed', () => {
    const body = `${FORM}&Tag=vip&Tag=vip&MediaUrl0=a&MediaUrl0=b`;
    const verified = webhooks.verify(inbound({ url: URL_, body, signature: twilioSignature(URL_, body) }), SECRET);
    expect(webhooks.parse!(verified, body)).toMatchObject({ Tag: 'vip', MediaUrl0: ['a', 'b'] });
  });

  it('keeps parameters named __proto__ and constructor as parameters', () => {
    const body = `${FORM}&__proto__=x&constructor=y&constructor=z`;
    const verified = webhooks.verify(inbound({ url: URL_, body, signature: twilioSignature(URL_, body) }), SECRET);
    const payload = webhooks.parse!(verified, body) as Record<string, unknown>;
    expect(Object.keys(payload)).toEqual(expect.arrayContaining(['__proto__', 'constructor']));
    expect([payload['__proto__'], payload.constructor]).toEqual(['x', ['y', 'z']]);
  });

  it('rejects a doubled X-Twilio-Webhooks-Signature-Settings header instead of picking one', () => {
    const signature = twilioSignature(URL_, FORM, 'HMAC_SHA256');
    const request = inbound({ url: URL_, body: FORM, signature });
    const doubled = {
      ...request,
      headers: { ...request.headers, 'x-twilio-webhooks-signature-settings': [SHA256_SETTINGS, 'algorithm=HMAC_SHA1'] },
    };
    expect(() => webhooks.verify(doubled, SECRET)).toThrow(/X-Twilio-Webhooks-Signature-Settings/);
    const single = { ...request, headers: { ...request.headers, 'x-twilio-webhooks-signature-settings': [SHA256_SETTINGS] } };
    expect(webhooks.verify(single, SECRET).providerEvent).toBe('incoming-message');
  });

  it('names the unknown algorithm when it rejects one', () => {
    const request = inbound({ url: URL_, body: FORM, signature: twilioSignature(URL_, FORM), settings: 'algorithm=HMAC_SHA512' });
    expect(() => webhooks.verify(request, SECRET)).toThrow(/HMAC_SHA512/);
  });
});
