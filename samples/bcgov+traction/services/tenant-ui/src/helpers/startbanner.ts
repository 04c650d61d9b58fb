export function logStartupBanner(where: { port: number; apiRoot: string }) {
  console.log(`tenant-ui: port ${where.port}, API under ${where.apiRoot}`);
}
