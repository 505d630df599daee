import { SecretSet } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { redactedExcerpt } from './error-excerpt';

/** A GitLab-shaped token that no pattern knows: only the set's value redacts it. */
const TOKEN = 'zq-planted-9c1e7b5a3d0f2e4';
const secrets = new SecretSet();
secrets.add(TOKEN);

/** Words of prose, `length` characters long (the last word may be cut short). */
const filler = (length: number) => 'the token you sent was refused by the server '.repeat(8).slice(0, length);

/** Every run of 8 characters of `secret` that appears in `text`. */
const runsOf = (secret: string, text: string) =>
  Array.from({ length: secret.length - 7 }, (_, start) => secret.slice(start, start + 8)).filter((run) => text.includes(run));

describe('redactedExcerpt', () => {
  it('leaves no run of 8 characters of a known secret at any offset around the cut, glued to a word or not', () => {
    for (let length = 150; length <= 230; length += 1) {
      for (const text of [`${filler(length)}${TOKEN} and more`, `${filler(length)} ${TOKEN}`, `${filler(length)}${TOKEN}`]) {
        const excerpt = redactedExcerpt(text, { secrets });
        expect(runsOf(TOKEN, excerpt), `${length}: ${excerpt}`).toEqual([]);
        expect(excerpt.length).toBeLessThanOrEqual(201);
      }
    }
  });

  it('redacts a multi-line secret before it takes the first line or joins the lines', () => {
    const key = '-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\nAQEFAASCBKcwggSjAgEAAoIB\n-----END KEY-----';
    const keys = new SecretSet();
    keys.add(key);
    expect(redactedExcerpt(`bad key ${key} given`, { secrets: keys })).toBe('bad key [REDACTED] given');
    expect(redactedExcerpt(`bad key ${key}\nsecond line`, { secrets: keys, firstLine: true })).toBe('bad key [REDACTED]');
  });

  it('cuts at a word boundary: a word the cut would split is dropped whole, never shown in part', () => {
    // No secret set at all: the word at the cut could be a token nobody told us about.
    const unknownToken = 'Tk9d2Lq8Vw3Zr7Xp1Yb6';
    const excerpt = redactedExcerpt(`${filler(190)} ${unknownToken} trailing words`);
    expect(excerpt.endsWith('…')).toBe(true);
    expect(runsOf(unknownToken, excerpt)).toEqual([]);
    expect(redactedExcerpt(`${'word '.repeat(100)}`)).toBe(`${'word '.repeat(40).trimEnd()}…`);
    expect(redactedExcerpt('x'.repeat(500)), 'one word longer than the limit leaves nothing').toBe('');
    expect(redactedExcerpt('  short\n\tmessage  ')).toBe('short message');
  });
});
