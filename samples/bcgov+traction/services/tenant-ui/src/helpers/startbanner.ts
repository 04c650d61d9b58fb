interface BannerOptions {
  port: number;
  apiRoot: string;
}

export function logStartupBanner({ port, apiRoot }: BannerOptions): void {
  console.log(`tenant-ui listening on ${port}, API at ${apiRoot}`);
}
