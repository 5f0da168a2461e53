"""A new user's first `make run`: clone, start, healthy, Ctrl-C, nothing left behind.

Clones this repository's committed HEAD into a new temporary folder (so no `var/`, no `.venv`:
what git ignores does not exist there), runs the README's run command (`make run`) in it on
free ports until `GET /healthz` answers 200 with every check up, then sends SIGINT to its
process group as Ctrl-C in a terminal does, and checks that every process it started is gone
and that the new `var/` is private. The virtualenv (`ASSISTANT_VENV`) and the trained-model
cache are reused so that the check takes about a minute; the var directory is always new.

    python scripts/fresh_clone_check.py          # exit 0: passed; 1: failed (log tail printed)

`make test` runs it (scripts/test.sh), so CI fails when `make run` cannot start from a clone.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 900  # seconds: a machine without the model in its cache trains it first
STOP_TIMEOUT = 60
# Settings a developer or CI may have exported that would point the clone at other state.
_INHERITED = ("DATABASE_URL", "ASSISTANT_VAR_DIR", "SPOOL_DIR", "RASA_", "ACTION_SERVER_URL")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _environment(venv: str) -> tuple[dict[str, str], int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_INHERITED)}
    env.pop("PYTHONPATH", None)
    port = _free_port()
    env |= {
        "ASSISTANT_VENV": venv,
        "PORT": str(port),
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "RASA_URL": f"http://127.0.0.1:{_free_port()}",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{_free_port()}",
    }
    return env, port


def _health(port: int) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=3) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, {}
    except (OSError, ValueError):
        return 0, {}


def _processes_under(folder: Path) -> list[str]:
    """Processes whose command line or working directory lies in `folder`."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            cwd = os.readlink(proc / "cwd")
        except OSError:
            continue  # gone meanwhile, or not ours to read
        if str(folder) in cmdline or cwd.startswith(str(folder)):
            found.append(f"{proc.name}: {cmdline[:160]}")
    return found


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def check(venv: str) -> list[str]:
    """Problems found (empty: the check passed)."""
    workdir = Path(tempfile.mkdtemp(prefix="fresh-clone-"))
    clone = workdir / "clone"
    log_path = workdir / "make-run.log"
    problems: list[str] = []
    try:
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        for ignored in ("var", ".venv"):
            if (clone / ignored).exists():
                problems.append(f"a clean clone has {ignored}/")
        env, port = _environment(venv)
        started = time.monotonic()
        with open(log_path, "w") as log:
            run = subprocess.Popen(
                ["make", "run"], cwd=clone, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
            status, body = 0, {}
            while time.monotonic() - started < START_TIMEOUT and run.poll() is None:
                status, body = _health(port)
                if status == 200:
                    break
                time.sleep(1)
            healthy_after = time.monotonic() - started
            if status != 200:
                why = f"exited with {run.returncode}" if run.poll() is not None else "timed out"
                problems.append(f"/healthz never answered 200 ({why}; last {status} {body})")
            elif not body.get("checks") or any(v != "up" for v in body["checks"].values()):
                problems.append(f"/healthz 200 but not everything up: {body}")
            else:
                print(f"fresh clone: /healthz 200 after {healthy_after:.1f} s")
            os.killpg(run.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group
            try:
                run.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                problems.append(f"make run still running {STOP_TIMEOUT} s after Ctrl-C")
                os.killpg(run.pid, signal.SIGKILL)
                run.wait()
        time.sleep(1)
        left = _processes_under(clone)
        if left:
            problems.append("processes left after Ctrl-C: " + "; ".join(left))
        if "all processes stopped" not in log_path.read_text(errors="replace"):
            problems.append("`make run` did not report 'all processes stopped' after Ctrl-C")
        var = clone / "var"
        if var.exists() and _mode(var) != 0o700:
            problems.append(f"var/ is {oct(_mode(var))}, not 0o700")
        for name in ("assistant.sqlite3", "rasa-tracker.sqlite3"):
            path = var / name
            if not path.exists() or _mode(path) != 0o600:
                mode = oct(_mode(path)) if path.exists() else "missing"
                problems.append(f"var/{name} is {mode}, not 0o600")
        if problems:
            tail = log_path.read_text(errors="replace").splitlines()[-30:]
            problems.append("make run's output (last lines):\n    " + "\n    ".join(tail))
        return problems
    finally:
        for pid_line in _processes_under(clone):
            with contextlib.suppress(OSError, ValueError):
                os.kill(int(pid_line.split(":", 1)[0]), signal.SIGKILL)
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> int:
    venv = os.environ.get("ASSISTANT_VENV") or str(ROOT / ".venv")
    problems = check(venv)
    for problem in problems:
        print(f"fresh clone: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
