export {
  createTelegram,
  type TelegramCheckpointSettings,
  type TelegramCommandEvent,
  type TelegramCommandHandler,
  type TelegramParseMode,
  type TelegramProvider,
  type TelegramProviderSettings,
  type TelegramUpdate,
} from './telegram-provider';
export { VERSION } from './version';
