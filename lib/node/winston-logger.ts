import {
  createLogger as createWinstonLogger,
  format,
  transports,
  type Logform,
  type Logger as WinstonLogger,
} from 'winston';
import type { LogFormat, LogLevel } from './config.js';
import { writesPretty } from './pretty-lines.js';
import { redactFormat } from './redact-format.js';
import type { Secrets } from './secrets.js';

/**
 * Options of {@link createLogger}.
 *
 * @example
 * const options: CreateLoggerOptions = { level: 'debug', format: 'json', secrets: [token] };
 */
export interface CreateLoggerOptions {
  /** The least severe level written. @default 'info' */
  readonly level?: LogLevel;
  /** `pretty` lines for people, `json` lines for machines, `auto` picks by TTY. @default 'auto' */
  readonly format?: LogFormat;
  /** Values removed from every entry (message and meta), e.g. the bearer token. @default [] */
  readonly secrets?: Secrets;
  /** Where lines go. @default process.stdout */
  readonly stream?: NodeJS.WritableStream;
}

/** Meta keys shown first on a pretty line, in this order. */
const LEADING_META = ['actionId', 'command'];

function prettyMeta(info: Logform.TransformableInfo): string {
  const keys = Object.keys(info).filter((k) => !['level', 'message', 'timestamp'].includes(k));
  keys.sort((a, b) => rank(a) - rank(b));
  return keys
    .map((k) => `${k}=${typeof info[k] === 'string' ? info[k] : JSON.stringify(info[k])}`)
    .join(' ');
}

function rank(key: string): number {
  const i = LEADING_META.indexOf(key);
  return i < 0 ? LEADING_META.length : i;
}

/**
 * Creates a winston logger for a pack process: JSON lines (with `timestamp`, `level`,
 * `message` and the meta fields such as `actionId` and `command`) when the output is not a
 * terminal, human-readable lines when it is (coloured) or when `format` is `pretty`.
 * Secrets are removed by a format, so they stay out of every line whatever the caller
 * passes. The result satisfies the core `Logger` interface and can be given to a `Pack` or
 * to `runPack`.
 *
 * @param options - level, format, secrets and stream.
 * @returns the winston logger.
 * @example
 * const logger = createLogger({ level: 'debug', secrets: [process.env.FLYTE_JWT] });
 * logger.info('action handled', { actionId: '42', command: 'Rota' });
 */
export function createLogger(options: CreateLoggerOptions = {}): WinstonLogger {
  const stream = options.stream ?? process.stdout;
  const isTty = (stream as { isTTY?: boolean }).isTTY === true;
  const lines = writesPretty(options.format, stream)
    ? format.combine(
        format.timestamp(),
        ...(isTty ? [format.colorize({ level: true })] : []),
        format.printf((info) =>
          [info.timestamp, info.level, info.message, prettyMeta(info)].filter(Boolean).join(' '),
        ),
      )
    : format.combine(format.timestamp(), format.json());
  return createWinstonLogger({
    level: options.level ?? 'info',
    format: format.combine(redactFormat(options.secrets ?? []), lines),
    transports: [new transports.Stream({ stream })],
  });
}
