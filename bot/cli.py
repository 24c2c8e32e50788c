"""The `signpost` command: parse arguments, load the config, and run one command."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.config import REPLAY_BATCH, ConfigError, load_config
from bot.log import setup_logging
from bot.progress import Progress, add_progress_argument

Command = Callable[[argparse.Namespace, Any], int]


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="PATH", help="config file (default: $SIGNPOST_CONFIG, else the "
                   "bundled config.yaml; `signpost default-config` prints it)")
    p.add_argument("--home", metavar="DIR", help="data directory that relative paths in the config are "
                   "inside: the SQLite store, the mail sink, the model (default: $SIGNPOST_HOME, else ./data)")
    p.add_argument("--db", metavar="URL", help="store URL, overriding store.url (e.g. sqlite:///signpost.db, "
                   "a file in the data directory, or postgresql+psycopg://user@host/db)")
    p.add_argument("-v", "--verbose", action="store_true", help="log debug detail (by default `run` logs "
                   "each step and other commands only warnings)")


def _positive(text: str) -> int:
    n = int(text)
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {n}")
    return n


def _sessions(cfg: Any) -> Any:
    from bot.app import open_store

    return open_store(cfg.store.url)[1]


def cmd_run(args: argparse.Namespace, cfg: Any) -> int:
    from bot.app import Service
    from store.db import StoreInUse, lock_sqlite_store

    try:
        lock = lock_sqlite_store(cfg.store.url)  # held until this process exits
    except StoreInUse as exc:
        print(f"signpost run: {exc}", file=sys.stderr)
        return 3

    async def main() -> list[str]:
        service = Service(cfg)
        await service.serve_forever()
        return service.crashed

    crashed = asyncio.run(main())
    if lock is not None:
        lock.close()
    return 1 if crashed else 0  # a crashed loop: non-zero, so systemd's Restart=on-failure starts it again


def cmd_replay(args: argparse.Namespace, cfg: Any) -> int:
    from bot.app import mail_transport
    from bot.replay import replay
    from bot.sender import FileSinkTransport

    sink = Path(args.sink) if args.sink else Path(cfg.home) / "replay-outbound"
    mail = mail_transport(cfg) if args.smtp else FileSinkTransport(sink)
    with Progress("replay", every=args.progress_every) as progress:
        stats = asyncio.run(replay(cfg, _sessions(cfg), args.paths, mail, batch=args.batch, progress=progress))
    print(f"replayed {stats.files} files: {stats.stored} stored, {stats.repeated} already in the store; "
          f"outbound to {'the configured SMTP relay' if args.smtp else sink}")
    return 0


def cmd_export(args: argparse.Namespace, cfg: Any) -> int:
    from bot.reporting.export import export_rows
    from store.access import record_access
    from store.models import utcnow

    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    try:
        with _sessions(cfg)() as s:
            n = 0
            for row in export_rows(s):
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
            # Who looked: a bulk export is in the access log too (user "cli", the rows it wrote).
            record_access(s, "cli", "export", utcnow(), rows=n, to=str(args.out or "stdout"))
            s.commit()
    finally:
        if args.out:
            out.close()
    return 0


def cmd_cases(args: argparse.Namespace, cfg: Any) -> int:
    from bot.reporting.export import case_lines

    with _sessions(cfg)() as s:
        print("\n".join(case_lines(s, args.limit, args.status)))
    return 0


def cmd_eval(args: argparse.Namespace, cfg: Any) -> int:
    from bot.evaluate import evaluate, format_report

    with Progress("eval", every=args.progress_every) as progress:
        report = evaluate(cfg, Path(args.corpus), progress=progress)
    print(json.dumps(report, indent=2) if args.json else format_report(report))
    return 0


def cmd_retry(args: argparse.Namespace, cfg: Any) -> int:
    from bot.app import build

    worker = build(cfg).worker
    n = worker.retry_failed()
    done = worker.drain()
    print(f"{n} failed message(s) queued again; {done} processed")
    return 0


def cmd_doctor(args: argparse.Namespace, cfg: Any) -> int:
    from bot.doctor import run_doctor

    return run_doctor(cfg, args.config)


def build_parser(wanted: Callable[[str], bool] = lambda name: True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="signpost", description="Public-contact assistant for Offices of Police and Crime Commissioners.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func: Command, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        _common(p)
        p.set_defaults(func=func)
        return p

    add("run", cmd_run, "Run the service: intake channels, triage worker, sender, scheduler, dashboard. "
        "Stops on SIGINT/SIGTERM (exit status 0), or when one of its loops crashes (exit status 1, "
        "so a supervisor such as systemd starts it again).")
    p = add("replay", cmd_replay, "Feed .eml/.tg.json files (or folders of them, in filename order) through "
            "the live pipeline, each at its own Date; replies go to a file sink.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="message files or folders")
    p.add_argument("--sink", metavar="DIR", help="folder for outbound mail "
                   "(default replay-outbound in the data directory)")
    p.add_argument("--smtp", action="store_true", help="send outbound mail to the configured SMTP relay instead")
    p.add_argument("--batch", type=_positive, default=REPLAY_BATCH, metavar="N",
                   help=f"store N messages per transaction, one commit for all (default {REPLAY_BATCH}); each is "
                   "still triaged and answered in file order on its own clock. 1 commits each message alone")
    add_progress_argument(p)
    p = add("export", cmd_export, "Print one JSON object per inbound message (case, category, urgent, agency, "
            "campaign, acknowledged, status).")
    p.add_argument("--format", choices=["jsonl"], default="jsonl", help="output format (jsonl)")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    p = add("cases", cmd_cases, "List cases, urgent first, then by respond-by date.")
    p.add_argument("--limit", type=int, default=50, help="how many (default 50)")
    p.add_argument("--status", choices=["open", "in_progress", "monitoring", "closed"], help="only this status")
    p = add("eval", cmd_eval, "Replay a labelled corpus into a fresh temporary store and score the decisions.")
    p.add_argument("corpus", metavar="CORPUS_DIR", help="folder with message files and labels.jsonl")
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    add_progress_argument(p)
    add("retry-failed", cmd_retry, "Triage again every message that failed (shunted) before.")
    add("doctor", cmd_doctor, "Check the config, the store, each enabled channel, the addresses and the "
        "templates, and say what to fix; exit status 1 on a fault.")
    p = sub.add_parser("default-config", help="Print the bundled config.yaml, to copy and edit.",
                       description="Print the bundled config.yaml, to copy and edit.")
    p.set_defaults(func=None)
    _register_modules(sub, add, wanted)
    return parser


# Commands whose modules own their arguments: (module, function adding them, handler, needs a
# store, help). A module is imported only when its command is named (or for the full parser), so
# `signpost --help` and the light commands start without the reporting, user and model code.
_MODULE_COMMANDS: dict[str, tuple[str, str, str, bool, str]] = {
    "train": ("bot.training", "add_arguments", "main", False,
              "Retrain the category model from the shipped examples plus caseworkers' re-classifications."),
    "queue": ("bot.admin", "add_queue_arguments", "cmd_queue", True,
              "Print a triaged queue: urgent first, then by due date."),
    "digest": ("bot.reporting.digest", "add_digest_arguments", "cmd_digest", True,
               "Produce the managers' daily digest (print or send)."),
    "report": ("bot.reporting.report", "add_report_arguments", "cmd_report", True,
               "Board report: cases per month by category, and status."),
    # Retention, subject access, erasure, rectification and the access log (bot/privacy/).
    "retention": ("bot.privacy.retention", "add_retention_arguments", "cmd_retention", True,
                  "Apply the retention schedule (config retention): anonymise cases past their keeping "
                  "time, or list them with --dry-run."),
    "sar": ("bot.privacy.sar", "add_sar_arguments", "cmd_sar", True,
            "Subject access: export everything held about a person as one zip."),
    "erase": ("bot.privacy.erasure", "add_erase_arguments", "cmd_erase", True,
              "Erase a person: anonymise their cases and messages now, with a recorded reason (cases "
              "under legal hold are kept)."),
    "rectify": ("bot.privacy.erasure", "add_rectify_arguments", "cmd_rectify", True,
                "Correct a person's name, phone, postcode or address (recorded as an event on their cases)."),
    "access": ("bot.privacy.access", "add_access_arguments", "cmd_access", True,
               "The access log: who viewed a case, or what a user viewed."),
}


def _register_modules(sub: Any, add: Callable[..., argparse.ArgumentParser], wanted: Callable[[str], bool]) -> None:
    """Add the module-owned commands; only the `wanted` ones get their module's arguments."""
    import importlib

    def wrap(fn: Callable[..., int], needs_sessions: bool = True) -> Command:
        return lambda args, cfg: fn(args, cfg, _sessions(cfg)) if needs_sessions else fn(args, cfg)

    for name, (module, adder, handler, needs_sessions, help_) in _MODULE_COMMANDS.items():
        if not wanted(name):
            add(name, lambda a, c: 2, help_)
            continue
        mod = importlib.import_module(module)
        p = add(name, wrap(getattr(mod, handler), needs_sessions), help_)
        inner = getattr(mod, adder)(p)
        if isinstance(inner, argparse.ArgumentParser) and inner is not p:
            _common(inner)  # the command's own sub-command (`sar export`) takes the common options too
    user = add("user", lambda a, c: 2, "Manage dashboard users.")
    user_sub = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    # name, handler, argument adder, help: `bot.admin` is imported only when `user` is the command.
    verbs: tuple[tuple[str, str, str | None, str], ...] = (
        ("add", "cmd_user_add", "add_user_arguments",
         "add a user (password from --password-env VAR or a prompt); an existing name is refused"),
        ("list", "cmd_user_list", None, "list users, their roles and whether they are active"),
        ("passwd", "cmd_user_passwd", "add_password_arguments",
         "set a user's new password (from --password-env VAR or a prompt) and re-enable them"),
        ("disable", "cmd_user_disable", "add_name_argument", "stop a user signing in"),
        ("remove", "cmd_user_remove", "add_name_argument", "delete a user (the audit log keeps what they did)"),
    )
    admin = importlib.import_module("bot.admin") if wanted("user") else None
    for verb, handler, arguments, help_ in verbs:
        p = user_sub.add_parser(verb, help=help_, description=help_)
        _common(p)
        if admin is not None:
            if arguments is not None:
                getattr(admin, arguments)(p)
            p.set_defaults(func=wrap(getattr(admin, handler)))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    named = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(lambda name: name == named)
    args = parser.parse_args(argv)
    if args.command == "default-config":
        from bot.shipped import default_config

        sys.stdout.write(default_config().read_text(encoding="utf-8"))
        return 0
    # One-shot commands print their own results; the service logs what it does.
    setup_logging(verbose=args.verbose, quiet=args.command != "run")
    overrides = {"store.url": args.db} if getattr(args, "db", None) else None
    try:
        cfg = load_config(args.config, overrides, home=args.home)
    except ConfigError as exc:
        if args.command == "doctor":
            from bot.doctor import report_config_error

            return report_config_error(exc)
        print(f"signpost: {exc}", file=sys.stderr)
        return 2
    setup_logging(verbose=args.verbose, quiet=args.command != "run", fmt=cfg.logging.format,
                  keep=cfg.office.all_addresses)
    try:
        return int(args.func(args, cfg))
    except (FileNotFoundError, ValueError) as exc:  # incl. PersonNotFound, ErasureRefused
        print(f"signpost {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    logging.captureWarnings(True)
    sys.exit(main())
