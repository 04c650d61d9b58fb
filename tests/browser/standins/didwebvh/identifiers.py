"""Stand-in for the identifier routes (DID documents and logs are not needed by the pages)."""

from fastapi import APIRouter

router = APIRouter()
