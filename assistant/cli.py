"""`assistant` command line: run the stack, migrate, seed, import, train, and act as Twilio."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from assistant import var_dir
from assistant.config import ConfigError, Settings, load_settings


def _print(message: str) -> None:
    print(message, flush=True)


def cmd_migrate(settings: Settings, _args: argparse.Namespace) -> int:
    from assistant.db import migrate

    migrate.upgrade(settings.database_url)
    _print(f"database at revision {migrate.current_revision(settings.database_url)}")
    return 0


def cmd_seed_demo(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.demo.seed import database_is_empty, seed_demo
    from assistant.unit_of_work import UnitOfWork

    with UnitOfWork(settings.database_url) as uow:
        if not database_is_empty(uow.session):
            _print("demo seed skipped: the database already holds a practice")
            return 0 if args.if_empty else 1
        summary = seed_demo(uow.session)
        uow.commit()
    _print("demo practice seeded:")
    for line in summary.lines():
        _print(f"  {line}")
    return 0


def cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from assistant.db.models import Practice
    from assistant.importing.csv_import import ImportFailed, import_csv
    from assistant.unit_of_work import UnitOfWork

    with UnitOfWork(settings.database_url) as uow:
        practice_id = uow.session.execute(select(Practice.id).order_by(Practice.id)).scalar()
        if practice_id is None:
            _print("no practice in the database: run `assistant seed-demo` or set one up first")
            return 1
        try:
            report = import_csv(
                uow.session,
                practice_id=practice_id,
                patients_csv=args.patients,
                appointments_csv=args.appointments,
            )
        except ImportFailed as failed:
            for error in failed.errors:
                _print(str(error))
            _print("nothing was imported")
            return 1
        uow.commit()
    _print(f"imported: {report}")
    return 0


def cmd_train(settings: Settings, _args: argparse.Namespace) -> int:
    from assistant.rasa_model import ensure_model

    _print(f"model: {ensure_model(settings.var_dir, log=_print)}")
    return 0


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    from assistant import stack
    from assistant.db import migrate
    from assistant.rasa_model import ensure_model
    from assistant.supervisor import Supervisor

    migrate.upgrade(settings.database_url)
    cmd_seed_demo(settings, argparse.Namespace(if_empty=True))
    model = ensure_model(settings.var_dir, log=_print)
    if not settings.twilio_enabled:
        _print(
            "Twilio: no credentials set, outbound messages are recorded in the database, not sent"
        )
    stack.interrupt_on_signals()
    services = stack.services(settings, model, args.port)
    env = stack.child_env(settings)
    stack.start(services, env, settings.var_dir / "logs")
    app_url = f"http://127.0.0.1:{args.port}"
    _print("starting Rasa (about 40 s), the action server and the web app ...")
    try:
        healthy, checks = stack.wait_healthy(app_url, services)
        if not healthy:
            died = stack.dead(services)
            what = f"{died.name} exited with code {died.returncode}" if died else checks
            _print(f"start-up failed: {what}; see {settings.var_dir / 'logs'}")
            return 1
        _print(
            "\n".join(
                [
                    "",
                    f"  web app        {app_url}  (health: {app_url}/healthz)",
                    f"  Rasa server    {settings.rasa_url}",
                    f"  action server  {settings.action_server_url}",
                    f"  logs           {settings.var_dir / 'logs'}",
                    "",
                    "  Try it (in another terminal):",
                    '    .venv/bin/assistant text --from +15555550123 "yes I\'ll be there"',
                    "    .venv/bin/assistant text --from +15555550124      (interactive, Spanish)",
                    "    .venv/bin/assistant call --from +15555550123",
                    "",
                    "  A process that exits is started again. Ctrl-C stops everything.",
                ]
            )
        )
        # From here on a child that exits is started again (assistant/supervisor.py)
        gave_up = Supervisor(services, env, settings.var_dir / "logs", report=_print).run()
        _print(gave_up)
        return 1
    except KeyboardInterrupt:
        _print("\nstopping ...")
        return 0
    finally:
        stack.stop(services)
        _print("all processes stopped")


def cmd_reminders_worker(settings: Settings, args: argparse.Namespace) -> int:
    import logging

    from assistant.reminders import worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if args.once:
        spooled = worker.replay_spool(settings)
        if spooled:
            _print(f"spool: {spooled}")
        _print(f"reminders: {worker.run_once(settings)}")
        return 0
    worker.run_forever(settings, interval_seconds=args.interval)
    return 0


def cmd_spool_replay(settings: Settings, _args: argparse.Namespace) -> int:
    """Replay the spool now (the reminder worker does it every tick). Exit 1 if anything is
    still waiting afterwards (database still down, or an item that failed)."""
    import logging

    from assistant.spool import Spool
    from assistant.spool.replay import replay
    from assistant.unit_of_work import UnitOfWork

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    spool = Spool(settings.spool_dir)
    counts = replay(UnitOfWork.factory(settings.database_url), spool)
    left = spool.stats().count
    _print(f"spool: {counts or 'nothing waiting'}; {left} waiting")
    return 1 if left else 0


def cmd_spool_status(settings: Settings, _args: argparse.Namespace) -> int:
    """How many requests wait in the spool and how old the oldest is (never their content)."""
    from assistant.spool import Spool

    stats = Spool(settings.spool_dir).stats()
    age = stats.oldest_age_seconds()
    oldest = "-" if age is None else f"{age:.0f} s"
    _print(f"spool {settings.spool_dir}: {stats.count} waiting, oldest {oldest}")
    return 0


def _simulator(settings: Settings, args: argparse.Namespace):
    from assistant.simulator import TwilioSimulator

    return TwilioSimulator(
        app_url=args.url,
        public_base_url=settings.public_base_url,
        auth_token=settings.webhook_auth_token,
    )


def cmd_text(settings: Settings, args: argparse.Namespace) -> int:
    sim = _simulator(settings, args)
    if args.message:
        bodies = iter([" ".join(args.message)])
    else:
        _print(f"texting as {args.from_number}; an empty line ends")
        bodies = iter(lambda: _read("you> ") or "", "")
    for body in bodies:
        for reply in sim.text(args.from_number, body):
            _print(f"practice> {reply}")
    return 0


def cmd_call(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.simulator import SimulatedCall

    call = SimulatedCall(_simulator(settings, args), args.from_number)
    turn = call.start()
    _print("calling; type what you would say, or digits for the keypad; an empty line hangs up")
    while True:
        for line in turn.said:
            _print(f"assistant> {line}")
        if turn.next_path is None:
            return 0
        said = _read("you> ")
        if not said:
            call.hang_up()
            return 0
        turn = call.answer(turn.next_path, said)


def _read(prompt: str) -> str | None:
    try:
        return input(prompt).strip()
    except EOFError:
        return None


def cmd_nlu_eval(_settings: Settings, args: argparse.Namespace) -> int:
    os.execv(sys.executable, [sys.executable, "-m", "nlu.evaluation", *args.rest])
    return 0  # not reached


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assistant", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("check-config", help="validate settings and exit")
    sub.add_parser("migrate", help="upgrade the database to the latest schema")
    seed = sub.add_parser("seed-demo", help="create the demo practice")
    seed.add_argument("--if-empty", action="store_true", help="succeed quietly if seeded")
    imp = sub.add_parser("import", help="import patients/appointments from CSV")
    imp.add_argument("--patients", type=Path)
    imp.add_argument("--appointments", type=Path)
    sub.add_parser("train", help="train the Rasa model if its inputs changed")
    run = sub.add_parser("run", help="run the whole assistant locally")
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    for name in ("text", "call"):
        s = sub.add_parser(name, help=f"{name} the assistant as Twilio would deliver it")
        s.add_argument("--from", dest="from_number", default="+15555550123")
        s.add_argument(
            "--url", default=os.environ.get("ASSISTANT_APP_URL", "http://127.0.0.1:8000")
        )
        if name == "text":
            s.add_argument("message", nargs="*")
    rw = sub.add_parser("reminders-worker", help="plan and send appointment reminders")
    rw.add_argument("--once", action="store_true", help="one pass, print the counts, exit")
    rw.add_argument("--interval", type=float, default=30.0, help="seconds between passes")
    sub.add_parser("spool-replay", help="replay requests kept while the database was down")
    sub.add_parser("spool-status", help="count and age of requests waiting in the spool")
    ev = sub.add_parser("nlu-eval", help="evaluate the NLU model (see nlu/evaluation)")
    ev.add_argument("rest", nargs=argparse.REMAINDER)
    return p


COMMANDS = {
    "migrate": cmd_migrate,
    "seed-demo": cmd_seed_demo,
    "import": cmd_import,
    "train": cmd_train,
    "run": cmd_run,
    "text": cmd_text,
    "call": cmd_call,
    "nlu-eval": cmd_nlu_eval,
    "reminders-worker": cmd_reminders_worker,
    "spool-replay": cmd_spool_replay,
    "spool-status": cmd_spool_status,
}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    if args.command == "check-config":
        _print("configuration ok")
        return 0
    var_dir.prepare(settings.var_dir)
    return COMMANDS[args.command](settings, args)


if __name__ == "__main__":
    sys.exit(main())
