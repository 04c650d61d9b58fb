// Sample stand-in for the pino logger
const logger = {
  info: (message: string) => process.stdout.write(`${message}\n`),
  error: (context: object, message: string) => process.stderr.write(`${message} ${JSON.stringify(context)}\n`),
}

export default logger
