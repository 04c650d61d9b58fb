// Fixture logger with the two calls the server makes
const logger = {
  info: (message: string) => console.log(message),
  error: (details: Record<string, unknown>, message: string) => console.error(message, details),
}

export default logger
