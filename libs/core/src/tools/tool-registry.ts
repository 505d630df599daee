import type { z } from 'zod';
import type { OperationHints } from '../capabilities/capability';
import { IntegrationError } from '../errors/integration-error';
import type { ExecuteOptions } from '../router/router-options';
import type { ProviderRegistry } from '../registry/provider-registry';

/** A tool as AI agents see it (the shape MCP's `tools/list` wants). */
export interface ToolDefinition {
  /** `storage_put_object` for a routed operation; `github_create_release` for a provider-specific one. */
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the arguments, from the operation's zod input schema. */
  readonly inputSchema: Record<string, unknown>;
  /** JSON Schema of the result, from the operation's zod output schema (as the operation returns it, after parsing). */
  readonly outputSchema: Record<string, unknown>;
  /** MCP tool annotations, from the operation's hints. */
  readonly annotations: {
    readonly readOnlyHint: boolean;
    readonly destructiveHint: boolean;
    readonly idempotentHint: boolean;
    readonly openWorldHint: true;
  };
  /** What the tool runs. */
  readonly target:
    | { readonly kind: 'capability'; readonly capability: string; readonly operation: string; readonly providers: readonly string[] }
    | { readonly kind: 'provider'; readonly provider: string; readonly operation: string };
}

/** What the tool registry needs from the hub. */
export interface ToolRegistryDependencies {
  /** The providers, and the contracts they implement (a host's own included). */
  readonly registry: ProviderRegistry;
  readonly execute: (capability: string, operation: string, input: unknown, options?: ExecuteOptions) => Promise<unknown>;
  readonly callProviderOperation: (provider: string, operation: string, input: unknown, options?: ExecuteOptions) => Promise<unknown>;
}

/** `putObject` → `put_object`. */
function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replaceAll('-', '_')
    .toLowerCase();
}

function annotations(hints: OperationHints): ToolDefinition['annotations'] {
  return {
    readOnlyHint: hints.readOnly,
    destructiveHint: hints.destructive,
    idempotentHint: hints.idempotent,
    openWorldHint: true,
  };
}

/**
 * Every operation the hub can run, as a tool: routed capability operations
 * (with failover underneath) of every contract the hub knows, core's or the
 * host's, for which at least one provider is registered,
 * plus each provider's own operations. JSON Schemas are built once per
 * schema and cached.
 */
export class ToolRegistry {
  private readonly dependencies: ToolRegistryDependencies;
  /** One cache per direction: the same schema can read differently as input (before defaults) and output. */
  private readonly schemaCaches = {
    input: new WeakMap<z.ZodType, Record<string, unknown>>(),
    output: new WeakMap<z.ZodType, Record<string, unknown>>(),
  };

  /** The tools as of the registry's `revision`, by name; rebuilt when providers or contracts change. */
  private cached:
    | { readonly revision: number; readonly list: readonly ToolDefinition[]; readonly byName: ReadonlyMap<string, ToolDefinition> }
    | undefined;

  constructor(dependencies: ToolRegistryDependencies) {
    this.dependencies = dependencies;
  }

  /** The tools available now, sorted by name. */
  list(): ToolDefinition[] {
    return [...this.current().list];
  }

  /** The tool list of the registry's current revision, built once per revision (a tool call looks its tool up by name). */
  private current(): { readonly list: readonly ToolDefinition[]; readonly byName: ReadonlyMap<string, ToolDefinition> } {
    const revision = this.dependencies.registry.revision;
    if (this.cached?.revision !== revision) {
      const list = this.build();
      this.cached = { revision, list, byName: new Map(list.map((tool) => [tool.name, tool])) };
    }
    return this.cached;
  }

  private build(): ToolDefinition[] {
    const tools: ToolDefinition[] = [];
    for (const contract of this.dependencies.registry.contracts()) {
      for (const [operation, definition] of Object.entries(contract.operations)) {
        const providers = this.dependencies.registry.findByCapability(contract.name, operation).map((provider) => provider.manifest.id);
        if (providers.length === 0) continue;
        tools.push({
          name: `${contract.name}_${snakeCase(operation)}`,
          description: `${definition.description} (${contract.name} v${contract.version}; routed across ${providers.join(', ')} with failover)`,
          inputSchema: this.jsonSchema(definition.input, 'input'),
          outputSchema: this.jsonSchema(definition.output, 'output'),
          annotations: annotations(definition.hints),
          target: { kind: 'capability', capability: contract.name, operation, providers },
        });
      }
    }
    for (const provider of this.dependencies.registry.list()) {
      for (const [operation, definition] of Object.entries(provider.operations ?? {})) {
        tools.push({
          name: `${snakeCase(provider.manifest.id)}_${snakeCase(operation)}`,
          description: `${definition.description} (${provider.manifest.name} only)`,
          inputSchema: this.jsonSchema(definition.input, 'input'),
          outputSchema: this.jsonSchema(definition.output, 'output'),
          annotations: annotations(definition.hints),
          target: { kind: 'provider', provider: provider.manifest.id, operation },
        });
      }
    }
    return tools.sort((left, right) => left.name.localeCompare(right.name));
  }

  /** The tool called `name`, or undefined. */
  get(name: string): ToolDefinition | undefined {
    return this.current().byName.get(name);
  }

  /**
   * Calls a tool with JSON arguments and resolves to the operation's output.
   * Unknown tools fail with `unsupported`; bad arguments with `validation`,
   * before any provider is called.
   */
  async callTool(name: string, args: unknown, options?: ExecuteOptions): Promise<unknown> {
    const tool = this.get(name);
    if (tool === undefined) {
      throw new IntegrationError({ kind: 'unsupported', message: `No tool named "${name}"`, operation: name });
    }
    const { target } = tool;
    return target.kind === 'capability'
      ? this.dependencies.execute(target.capability, target.operation, args, options)
      : this.dependencies.callProviderOperation(target.provider, target.operation, args, options);
  }

  /**
   * The schema's own `toJSONSchema` (zod 4's schemas carry it), so core never
   * loads zod itself: the package that built the schema already has.
   */
  private jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
    const cache = this.schemaCaches[io];
    let cached = cache.get(schema);
    if (cached === undefined) {
      const convertible = schema as z.ZodType & { toJSONSchema?: (params: object) => Record<string, unknown> };
      cached =
        typeof convertible.toJSONSchema === 'function'
          ? convertible.toJSONSchema({ io, unrepresentable: 'any' })
          : {
              description: `${io === 'input' ? 'Arguments' : 'The result'} as the operation documents them (its schema cannot be shown as JSON Schema).`,
            };
      cache.set(schema, cached);
    }
    return cached;
  }
}
