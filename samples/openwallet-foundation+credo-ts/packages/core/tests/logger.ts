import { ConsoleLogger, LogLevel } from '../src'

// Warnings and errors only, so that fixture runs stay quiet
export class QuietLogger extends ConsoleLogger {
  public constructor() {
    super(LogLevel.Warn)
  }
}
