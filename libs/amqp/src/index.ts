export { VERSION } from './version';
export { createAmqpWorker, AMQP_URL_VARIABLE, type AmqpWorker, type AmqpWorkerOptions } from './amqp-worker';
export { COMMAND_ENTITY } from './amqp-ledger';
export type { AmqpCommand, AmqpEventError, AmqpResultEvent } from './amqp-messages';
