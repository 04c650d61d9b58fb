// Appended to a parser script, which defines answer(request).
import { createInterface } from 'node:readline'

// stdout carries the replies only: a library that logs must not break the pairing of requests and replies
console.log = console.info = console.debug = console.error

// One JSON request per stdin line, one JSON reply per stdout line ({result} or {error}), until stdin closes.
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  let reply
  try {
    reply = { result: await answer(JSON.parse(line)) }
  } catch (err) {
    reply = { error: String(err?.stack ?? err) }
  }
  process.stdout.write(JSON.stringify(reply) + '\n')
}
