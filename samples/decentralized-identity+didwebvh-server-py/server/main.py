"""Start uvicorn with APP_WORKERS worker processes.

Only uvicorn's supervisor runs this module, and the supervisor serves no requests.
"""

import os

import uvicorn

if __name__ == "__main__":
    uvicorn.run(
        "app:app",
        host="0.0.0.0",
        port=int(os.getenv("APP_PORT", "8000")),
        workers=int(os.getenv("APP_WORKERS", "4")),
    )
