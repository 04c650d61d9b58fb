export default function ClientApp() {
  return <main>BC Wallet Showcase</main>
}
