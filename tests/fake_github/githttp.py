"""Git smart HTTP for the fake's repositories, through `git http-backend` (CGI), with GitHub's auth rules.

Credentials are what git sends: `Authorization: Basic base64(x-access-token:<token>)`. Reading a
public repository needs none; pushing needs a write role and (fine-grained) `contents: write`.
"""

from __future__ import annotations

import base64
import os
import subprocess
from dataclasses import dataclass

from werkzeug.wrappers import Request, Response

from tests.fake_github.state import Token, World


@dataclass
class GitRequest:
    repo: str
    service: str  # git-upload-pack (fetch) or git-receive-pack (push)
    login: str | None
    status: int


def _basic_token(world: World, request: Request) -> tuple[Token | None, bool]:
    """(token, credentials_sent)"""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None, False
    try:
        _, _, password = base64.b64decode(value).decode().partition(":")
    except ValueError:
        return None, True
    return world.tokens.get(password), True


def serve(
    world: World, request: Request, owner: str, name: str, rest: str, log: list[GitRequest]
) -> Response:
    repo = world.repo(f"{owner}/{name}")
    service = request.args.get("service") or rest.rsplit("/", 1)[-1]
    token, sent = _basic_token(world, request)
    push = service == "git-receive-pack"

    def answer(status: int, text: str, headers: dict[str, str] | None = None) -> Response:
        log.append(GitRequest(f"{owner}/{name}", service, token.login if token else None, status))
        return Response(text, status, headers or {}, content_type="text/plain")

    if repo is None or not world.allowed(token, repo, "read", ("contents", "read")):
        if not sent:
            return answer(
                401, "Authentication required", {"WWW-Authenticate": 'Basic realm="GitHub"'}
            )
        return answer(404, "Repository not found.")
    if push and not world.allowed(token, repo, "write", ("contents", "write")):
        if not sent:
            return answer(
                401, "Authentication required", {"WWW-Authenticate": 'Basic realm="GitHub"'}
            )
        if token is None:
            return answer(
                401, "Invalid username or token.", {"WWW-Authenticate": 'Basic realm="GitHub"'}
            )
        return answer(403, f"Permission to {repo.full_name}.git denied to {token.login}.")

    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(world.root),
        "GIT_PROJECT_ROOT": str(world.root / "repos"),
        "GIT_HTTP_EXPORT_ALL": "1",
        "PATH_INFO": f"/{repo.full_name}.git/{rest}",
        "REQUEST_METHOD": request.method,
        "QUERY_STRING": request.query_string.decode(),
        "CONTENT_TYPE": request.headers.get("Content-Type", ""),
        "REMOTE_USER": token.login if token else "",
        "REMOTE_ADDR": "127.0.0.1",
        "GIT_PROTOCOL": request.headers.get("Git-Protocol", ""),
        "HTTP_CONTENT_ENCODING": request.headers.get("Content-Encoding", ""),
    }
    out = subprocess.run(
        ["git", "http-backend"], input=request.get_data(), env=env, capture_output=True, check=False
    )
    head, body = _split_cgi(out.stdout)
    status, headers = 200, {}
    for line in head.decode("latin-1").splitlines():
        key, _, value = line.partition(":")
        if key.lower() == "status":
            status = int(value.split()[0])
        elif key:
            headers[key] = value.strip()
    log.append(GitRequest(repo.full_name, service, token.login if token else None, status))
    return Response(body, status, headers)


def _split_cgi(raw: bytes) -> tuple[bytes, bytes]:
    """CGI output: headers, a blank line (CRLF or LF), the body."""
    ends = [(i, len(sep)) for sep in (b"\r\n\r\n", b"\n\n") if (i := raw.find(sep)) >= 0]
    if not ends:
        return raw, b""
    i, n = min(ends)
    return raw[:i], raw[i + n :]
