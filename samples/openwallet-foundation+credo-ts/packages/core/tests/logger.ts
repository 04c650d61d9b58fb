import { ConsoleLogger } from '../src'

// Sample stand-in for credo-ts's test logger
export class TestLogger extends ConsoleLogger {}
