"""Training the Rasa model only when its inputs changed.

The model's name carries a fingerprint of everything that shapes it (config, NLU data, domain,
stories and rules, custom components, Rasa's version). An existing model with that fingerprint
is reused, from `var/models` or from a cache shared by clones on this machine.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from assistant.config import PROJECT_ROOT
from assistant.stack import real_clock_env

CONFIG = PROJECT_ROOT / "nlu" / "config.yml"
NLU_DATA = PROJECT_ROOT / "nlu" / "data"
DOMAIN = PROJECT_ROOT / "dialogues" / "domain"
DIALOGUE_DATA = PROJECT_ROOT / "dialogues" / "data"
COMPONENTS = PROJECT_ROOT / "nlu" / "components"
RASA_VERSION = "3.6.21"


def _inputs() -> list[Path]:
    files = [CONFIG]
    for folder in (NLU_DATA, DOMAIN, DIALOGUE_DATA, COMPONENTS):
        if folder.exists():
            files.extend(
                sorted(
                    p
                    for p in folder.rglob("*")
                    if p.is_file() and p.suffix in (".yml", ".yaml", ".py", ".txt")
                )
            )
    return files


def fingerprint() -> str:
    digest = hashlib.sha256(RASA_VERSION.encode())
    for path in _inputs():
        digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_dir() -> Path:
    base = os.environ.get("ASSISTANT_MODEL_CACHE") or Path.home() / ".cache" / "frontdesk-assistant"
    return Path(base) / "models"


def model_path(var_dir: Path) -> Path:
    return var_dir / "models" / f"assistant-{fingerprint()}.tar.gz"


def ensure_model(var_dir: Path, *, log=print) -> Path:
    """Path of a model trained on the current inputs, training one if none exists."""
    target = model_path(var_dir)
    if target.exists():
        return target
    cached = cache_dir() / target.name
    if cached.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(cached, target)
        log(f"model: reused {target.name} from {cached.parent}")
        return target
    log_file = var_dir / "logs" / "train.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    log(f"model: training {target.name} (inputs changed or first run; log: {log_file}) ...")
    started = time.monotonic()
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(log_file, "w") as out:
        result = subprocess.run(
            [
                str(Path(sys.executable).with_name("rasa")),
                "train",
                "--config",
                str(CONFIG),
                "--domain",
                str(DOMAIN),
                "--data",
                str(NLU_DATA),
                str(DIALOGUE_DATA),
                "--out",
                str(target.parent),
                "--fixed-model-name",
                target.name.removesuffix(".tar.gz"),
            ],  # fmt: skip
            cwd=PROJECT_ROOT,
            env={**real_clock_env(dict(os.environ)), "PYTHONPATH": str(PROJECT_ROOT)},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    if result.returncode != 0 or not target.exists():
        tail = log_file.read_text(errors="replace").splitlines()[-15:]
        raise RuntimeError("model training failed:\n" + "\n".join(tail))
    log(f"model: trained in {time.monotonic() - started:.0f} s")
    _prune(target.parent, keep=2)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(target, cached)
        _prune(cached.parent, keep=5)
    except OSError:
        pass  # the cache is an optimisation only
    return target


def _prune(folder: Path, keep: int) -> None:
    """Old models are 15-20 MB each: keep the newest few."""
    models = sorted(folder.glob("assistant-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    for old in models[:-keep]:
        old.unlink(missing_ok=True)
