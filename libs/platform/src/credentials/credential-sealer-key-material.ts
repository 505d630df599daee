/** Bytes of random key material a master key must carry at least (256 bits). */
export const MINIMUM_KEY_BYTES = 32;

/** What {@link decodeKeyMaterial} found: the key's bytes, or why they are not random key material. Never quotes the key. */
export type DecodedKeyMaterial = { readonly material: Buffer } | { readonly problem: string };

const GENERATE = 'generate one with `openssl rand -base64 32`';
const PASSPHRASE = 'for a passphrase, pass `{ id, passphrase, salt }`';

const HEX = /^(?:[0-9a-f]{2})+$/i;
/** Standard base64 (`+` and `/`) or base64url (`-` and `_`), never both; `=` padding only at the end. */
const BASE64 = /^(?:[A-Za-z0-9+/]+|[A-Za-z0-9_-]+)={0,2}$/;

/**
 * The key text as bytes: hex when every character is a hex digit (tried
 * first, so 48 hex characters are 24 bytes, never 36 of base64), else base64
 * or base64url with a length an encoder produces (a multiple of 4 with
 * padding; without, any length but 1 more than a multiple of 4).
 */
function decodeText(text: string): Buffer | undefined {
  if (HEX.test(text)) return Buffer.from(text, 'hex');
  if (!BASE64.test(text)) return undefined;
  const padded = text.endsWith('=');
  if (padded ? text.length % 4 !== 0 : text.length % 4 === 1) return undefined;
  return Buffer.from(text, 'base64');
}

/**
 * Whether base64 text reads as words rather than as the encoding of random
 * bytes: its letters are all of one case (`correct-horse-battery-staple…`,
 * `PASSWORD2024…`), or it is letters only with no two capitals in a row
 * (`ThisIsMyVeryLongPassword…`, words written together). Random base64 of 32
 * bytes does the first about once in 3 billion keys and the second about
 * once in 60 million (letters only: 1 in 7,700; then no two capitals
 * together: 1 in 7,700 again), less for longer keys.
 */
function readsAsWords(text: string): boolean {
  const letters = text.replace(/[^A-Za-z]/g, '');
  if (!/[a-z]/.test(letters) || !/[A-Z]/.test(letters)) return true;
  return /^[A-Za-z]+$/.test(text) && !/[A-Z]{2}/.test(text);
}

/** Whether every byte is printable ASCII or a line break: text encoded as hex or base64. 32 random bytes are that about once in 10^13. */
function isPrintableText(bytes: Buffer): boolean {
  return bytes.every((byte) => (byte >= 0x20 && byte <= 0x7e) || byte === 0x09 || byte === 0x0a || byte === 0x0d);
}

/**
 * Decodes a master key (`RandomMasterKey.secret`) and judges whether it is
 * random key material, as docs/security.md promises, in this order: text
 * must be hex, base64 or base64url (surrounding whitespace ignored); the
 * bytes must be at least 32, and must not be printable text (a password run
 * through base64 or hex); base64 text must not read as words (see
 * {@link readsAsWords}). Each problem names what was wrong and how to make
 * a key, never the key itself.
 */
export function decodeKeyMaterial(secret: string | Uint8Array): DecodedKeyMaterial {
  let material: Buffer;
  if (typeof secret === 'string') {
    const text = secret.trim();
    const decoded = decodeText(text);
    if (decoded === undefined) {
      return {
        problem: `A master key must be hex, base64 or base64url of at least ${MINIMUM_KEY_BYTES} random bytes (${GENERATE}); ${PASSPHRASE}.`,
      };
    }
    material = decoded;
  } else {
    material = Buffer.from(secret);
  }
  if (material.length < MINIMUM_KEY_BYTES) {
    return { problem: `A master key must carry at least ${MINIMUM_KEY_BYTES} random bytes; this one decodes to ${material.length}.` };
  }
  if (isPrintableText(material)) {
    return { problem: `This master key decodes to printable text, not random bytes: ${GENERATE}, or ${PASSPHRASE}.` };
  }
  if (typeof secret === 'string' && !HEX.test(secret.trim()) && readsAsWords(secret.trim())) {
    return { problem: `This master key reads as words, not as base64 of random bytes: ${GENERATE}, or ${PASSPHRASE}.` };
  }
  return { material };
}
