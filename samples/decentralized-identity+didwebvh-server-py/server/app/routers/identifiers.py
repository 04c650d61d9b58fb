"""DID routes: /{namespace}/{alias} and its did.jsonl log (fixture)."""

from fastapi import APIRouter, HTTPException

router = APIRouter(tags=["Identifiers"])


@router.get("/{namespace}/{alias}/did.jsonl")
async def read_did_log(namespace: str, alias: str):
    """Return the DID log of namespace/alias."""
    raise HTTPException(status_code=404, detail=f"{namespace}/{alias} not found")
