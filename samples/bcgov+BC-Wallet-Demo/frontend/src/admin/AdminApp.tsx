export default function AdminApp() {
  return <main>Showcase admin</main>
}
