/** Log levels, least to most severe. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** One JSON object per line on stdout, which Container Insights collects as ContainerLogV2. */
export interface Logger {
  log(level: LogLevel, msg: string, fields?: LogFields): void;
}

/**
 * A logger writing JSON lines at or above `level`. Fields are plain values only: a secret can only
 * reach a log line if someone passes it explicitly, and {@link SecretValue} prints as "[redacted]" anyway.
 */
export function jsonLogger(level: LogLevel, write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  return {
    log(at, msg, fields = {}) {
      if (LOG_LEVELS.indexOf(at) < threshold) return;
      write(JSON.stringify({ time: new Date().toISOString(), level: at, msg, ...fields }) + '\n');
    },
  };
}
