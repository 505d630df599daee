export { createTelegram, type TelegramProvider } from './telegram-provider';
export type {
  TelegramCheckpointSettings,
  TelegramCheckpoints,
  TelegramCommandEvent,
  TelegramCommandHandler,
  TelegramParseMode,
  TelegramProviderSettings,
  TelegramUpdate,
} from './telegram-settings';
export { VERSION } from './version';
