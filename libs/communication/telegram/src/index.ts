export { createTelegram, type TelegramProvider, type TelegramProviderSettings } from './telegram-provider';
export { VERSION } from './version';
