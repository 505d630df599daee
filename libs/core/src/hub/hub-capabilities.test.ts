import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineCapability } from '../capabilities/capability';
import { storageV1 } from '../capabilities/storage';
import { defineProvider } from '../provider/define-provider';
import { createFakeProvider } from '../testing/fake-provider';
import { integrationErrorOf } from '../testing/integration-error-of';
import { createHub } from './create-hub';

function translationContract(version = 1) {
  return defineCapability({
    name: 'translation',
    version,
    description: 'Translates text between languages.',
    operations: {
      translate: {
        description: 'Translates a text into the target language.',
        input: z.strictObject({ text: z.string().min(1), target: z.string().length(2) }),
        output: z.strictObject({ text: z.string() }),
        hints: { readOnly: true, destructive: false, idempotent: true },
      },
    },
  });
}

const translationV1 = translationContract();

function translator(id: string, contract = translationV1) {
  return defineProvider({
    id,
    name: id,
    category: 'ai',
    docsUrl: 'https://example.test/docs',
    authKinds: ['none'],
    capabilities: [{ contract, handlers: { translate: (input: { text: string }) => Promise.resolve({ text: `${id}:${input.text}` }) } }],
  });
}

describe("a host's own capability", () => {
  it('is learned from the provider that carries it: routed, typed, explained and listed as a tool', async () => {
    const hub = createHub({ providers: [translator('lingo')] });
    expect(hub.registry.contract('translation')).toBe(translationV1);
    expect(hub.registry.contracts()).toContain(translationV1);

    const { text } = await hub.capability(translationV1).translate({ text: 'hello', target: 'de' });
    expect(text).toBe('lingo:hello');
    expect(hub.explain({ capability: 'translation', operation: 'translate' }).candidates.map((candidate) => candidate.provider)).toEqual([
      'lingo',
    ]);
    expect(hub.tools.get('translation_translate')?.target).toEqual({
      kind: 'capability',
      capability: 'translation',
      operation: 'translate',
      providers: ['lingo'],
    });
    expect(await hub.tools.callTool('translation_translate', { text: 'hi', target: 'fr' })).toEqual({ text: 'lingo:hi' });
  });

  it('is learned from createHub({ capabilities }) and hub.capability() before any provider brings it', async () => {
    const hub = createHub({ capabilities: [translationV1] });
    const translation = hub.capability(translationV1);
    expect((await integrationErrorOf(translation.translate({ text: 'hello', target: 'deu' }))).message).toMatch(
      /Invalid input for translation\.translate: target:/,
    );
    expect((await integrationErrorOf(translation.translate({ text: 'hello', target: 'de' }))).message).toBe(
      'No registered provider supports translation.translate',
    );

    const later = createHub();
    later.capability(translationV1);
    later.register(createFakeProvider({ id: 'plain', capabilities: [{ name: 'translation', version: 1, operations: ['translate'] }] }));
    expect(later.registry.findByCapability('translation', 'translate').map((provider) => provider.manifest.id)).toEqual(['plain']);
  });

  it('is refused when a second provider carries a different contract under the same name and version', () => {
    const hub = createHub({ providers: [translator('lingo')] });
    const error = (() => {
      try {
        hub.register(translator('babel', translationContract()));
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toMatchObject({
      kind: 'conflict',
      provider: 'babel',
      message: expect.stringMatching(
        /Provider "babel" declares translation v1, but the hub already holds a different translation v1 contract; define each contract once/,
      ) as string,
    });
    expect(hub.registry.get('babel')).toBeUndefined();
  });

  it('is refused under another version than the one the hub routes', () => {
    const hub = createHub({ providers: [translator('lingo')] });
    expect(() => hub.register(translator('babel', translationContract(2)))).toThrow(
      /Provider "babel" declares translation v2, but the hub routes translation v1, and it routes one version of each capability/,
    );
    expect(() =>
      hub.register(createFakeProvider({ id: 'old', capabilities: [{ name: 'translation', version: 2, operations: ['translate'] }] })),
    ).toThrow(/manifest\.capabilities\.0: translation v2 has no contract: the hub routes translation v1/);
  });

  it('is not learned when the provider carrying it is refused', () => {
    const hub = createHub({ providers: [createFakeProvider({ id: 'lingo', capabilities: [] })] });
    expect(() => hub.register(translator('lingo'))).toThrow(/already registered/);
    expect(hub.registry.contract('translation')).toBeUndefined();
  });

  it('stays known after its last provider unregisters, but lists no tools', () => {
    const hub = createHub({ providers: [translator('lingo')] });
    hub.unregister('lingo');
    expect(hub.registry.contract('translation')).toBe(translationV1);
    expect(hub.tools.list()).toEqual([]);
  });

  it('conflicts with hub.capability() for a different contract of the same name', () => {
    const hub = createHub({ providers: [translator('lingo')] });
    expect(() => hub.capability(translationContract())).toThrow(expect.objectContaining({ kind: 'conflict' }) as Error);
    expect(() => hub.capability(storageV1)).not.toThrow();
  });

  it('names a malformed contract a hand-built provider carries', () => {
    const provider = createFakeProvider({
      id: 'broken',
      capabilities: [{ name: 'translation', version: 1, operations: ['translate'] }],
      contracts: [{ ...translationV1, name: 'Translation' }],
    });
    expect(() => createHub({ providers: [provider] })).toThrow(/Invalid provider: contracts\.0: name: must be lowercase kebab-case/);
    expect(() => createHub({ providers: [{ ...provider, contracts: 'translation' as never }] })).toThrow(
      /Invalid provider: contracts: must be an array of capability contracts/,
    );
  });

  it("replaces core's contract of the same name when the host passes one, and refuses two of one name", () => {
    const storageV2 = defineCapability({ ...storageV1, version: 2 });
    const hub = createHub({ capabilities: [storageV2] });
    expect(hub.registry.contract('storage')).toBe(storageV2);
    expect(() => createHub({ capabilities: [translationV1, translationContract(2)] })).toThrow(
      /declares translation v2, but the hub routes translation v1/,
    );
  });
});
