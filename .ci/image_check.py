#!/usr/bin/env python3
"""Build the Docker image's filesystem without Docker, from the Dockerfile as written.

Reads the Dockerfile and runs its own instructions in a throwaway directory: FROM picks the local
interpreter of the same Python version and makes a fresh virtualenv of it (the image's system
Python), ENV and WORKDIR set the environment, COPY copies the build context minus .dockerignore,
RUN lines run verbatim through /bin/sh with the virtualenv first on PATH, so `pip` and `python`
are the image's. Then the CMD's program must exist and the WSGI application must import with the
production settings. No network but the package index pip is configured with.

    python3 .ci/image_check.py [--keep]
"""

import base64
import fnmatch
import json
import os
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONTEXT = Path(__file__).resolve().parents[1]


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments), continuation lines joined and comments dropped."""
    result, pending = [], ""
    for raw in dockerfile.read_text().splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):  # a comment inside a continued instruction
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, args = (pending + line).partition(" ")
        result.append((keyword.upper(), args.strip()))
        pending = ""
    return result


def ignored(relative: str, patterns: list[str]) -> bool:
    parts = relative.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    # fnmatch's "*" also crosses "/"; "**/x" matches x at the top level too, as in Docker
    patterns = patterns + [p.removeprefix("**/") for p in patterns if p.startswith("**/")]
    return any(fnmatch.fnmatch(prefix, pattern) for pattern in patterns for prefix in prefixes)


def copy_context(sources: list[str], dest: Path, patterns: list[str]) -> None:
    for source in sources:
        origin = (CONTEXT / source).resolve()
        if origin.is_file():
            target = dest / origin.name if dest.is_dir() else dest
            shutil.copy2(origin, target)
            continue
        for path in sorted(origin.rglob("*")):
            relative = path.relative_to(CONTEXT).as_posix()
            if ignored(relative, patterns) or path.is_dir():
                continue
            target = dest / path.relative_to(origin)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)


def main() -> int:
    keep = "--keep" in sys.argv
    started = time.monotonic()
    root = Path(tempfile.mkdtemp(prefix="image-check-"))
    venv = root / "usr-local"
    workdir = root
    ours = ("DJANGO_", "VIRTUAL_ENV", "SECRET_KEY", "TOKEN_KEYS")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    env.pop("PYTHONPATH", None)
    dockerignore = CONTEXT / ".dockerignore"
    patterns = [p.strip().rstrip("/") for p in dockerignore.read_text().splitlines() if p.strip()[:1] not in ("", "#")]
    cmd: list[str] = []
    try:
        for keyword, args in instructions(CONTEXT / "Dockerfile"):
            print(f"==> {keyword} {args}", flush=True)
            if keyword == "FROM":
                image, _, tag = args.partition(":")
                version = tag.split("-")[0]
                if image != "python" or version.count(".") != 1:
                    sys.exit(f"image-check knows python:X.Y images only, not {args}")
                interpreter = shutil.which(f"python{version}")
                if not interpreter:
                    sys.exit(f"python{version} is not installed here; the image is built on it")
                subprocess.run([interpreter, "-m", "venv", venv], check=True)
                env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
            elif keyword == "ENV":
                env.update(item.split("=", 1) for item in shlex.split(args))
            elif keyword == "WORKDIR":
                workdir = root / args.lstrip("/")
                workdir.mkdir(parents=True, exist_ok=True)
            elif keyword == "COPY":
                *sources, dest = shlex.split(args)
                target = workdir / dest if not dest.startswith("/") else root / dest.lstrip("/")
                if dest.endswith("/") or dest == ".":
                    target.mkdir(parents=True, exist_ok=True)
                copy_context(sources, target, patterns)
            elif keyword == "RUN":
                subprocess.run(["/bin/sh", "-c", args], cwd=workdir, env=env, check=True)
            elif keyword == "CMD":
                cmd = json.loads(args)
            elif keyword not in ("EXPOSE", "LABEL"):
                sys.exit(f"image-check does not know the {keyword} instruction; teach it or keep the Dockerfile simple")

        print(f"==> CMD {cmd}: the program is installed and the WSGI application loads", flush=True)
        if not cmd or not (venv / "bin" / cmd[0]).exists():
            sys.exit(f"the CMD's program {cmd[:1]} is not installed in the image")
        runtime = {**env, "DJANGO_SETTINGS_MODULE": "config.settings.production"}
        # what docker-compose gives it: a strong SECRET_KEY, and TOKEN_KEYS (a Fernet key: 32 bytes, base64)
        token_key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
        runtime |= {"SECRET_KEY": secrets.token_urlsafe(64), "TOKEN_KEYS": token_key, "ALLOWED_HOSTS": "example.com"}
        subprocess.run(
            ["python", "-c", "import config.wsgi; print(config.wsgi.application)"], cwd=workdir, env=runtime, check=True
        )
    except subprocess.CalledProcessError as error:
        print(f"image-check: FAILED: {error}", file=sys.stderr)
        return 1
    finally:
        if keep:
            print(f"image-check: kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    print(f"image-check: the Dockerfile builds ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
