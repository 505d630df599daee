export { VERSION } from './version';
export { createMcpServer, type McpServerOptions, type SwitchyardMcpServer } from './mcp-server';
export { startMcpHttpServer, type McpHttpServer, type McpHttpServerOptions } from './mcp-http-server';
export { META_TOOL_NAMES } from './mcp-meta-tools';
export { META_PREFIX, type ToolErrorReport } from './mcp-tools';
export { startMcpStdioServer, type McpStdioServer, type McpStdioServerOptions } from './mcp-stdio-server';
