"""Route modules of the did:webvh server (fixture)."""
