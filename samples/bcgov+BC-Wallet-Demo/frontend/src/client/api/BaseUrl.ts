export const baseRoute = (import.meta.env.VITE_BASE_ROUTE as string | undefined) ?? '/digital-trust/showcase'
