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

from bot.config import ConfigError, load_config
from bot.log import setup_logging

Command = Callable[[argparse.Namespace, Any], int]


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="PATH", help="config file (default: the file $SIGNPOST_CONFIG names, "
                   "else the bundled config.yaml)")
    p.add_argument("--db", metavar="URL", help="store URL, overriding store.url "
                   "(e.g. sqlite:///data/signpost.db or postgresql+psycopg://user@host/db)")
    p.add_argument("-v", "--verbose", action="store_true", help="log debug detail (by default `run` logs "
                   "each step and other commands only warnings)")


def _sessions(cfg: Any) -> Any:
    from bot.app import open_store

    return open_store(cfg.store.url)[1]


def cmd_run(args: argparse.Namespace, cfg: Any) -> int:
    from bot.app import Service

    async def main() -> None:
        await Service(cfg).serve_forever()

    asyncio.run(main())
    return 0


def cmd_replay(args: argparse.Namespace, cfg: Any) -> int:
    from bot.app import mail_transport
    from bot.replay import replay
    from bot.sender import FileSinkTransport

    mail = mail_transport(cfg) if args.smtp else FileSinkTransport(args.sink)
    stats = asyncio.run(replay(cfg, _sessions(cfg), args.paths, mail))
    print(f"replayed {stats.files} files: {stats.stored} stored, {stats.repeated} already in the store; "
          f"outbound to {'the configured SMTP relay' if args.smtp else args.sink}")
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

    report = evaluate(cfg, Path(args.corpus))
    print(json.dumps(report, indent=2) if args.json else format_report(report))
    return 0


def cmd_retry(args: argparse.Namespace, cfg: Any) -> int:
    from bot.worker import Worker
    from handlers.compose import make_environment

    sessions = _sessions(cfg)
    worker = Worker(cfg, sessions, make_environment())
    n = worker.retry_failed()
    done = worker.drain()
    print(f"{n} failed message(s) queued again; {done} processed")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="signpost", description="Public-contact assistant for Offices of Police and Crime Commissioners.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func: Command, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        _common(p)
        p.set_defaults(func=func)
        return p

    add("run", cmd_run, "Run the service: intake channels, triage worker, sender, scheduler, dashboard.")
    p = add("replay", cmd_replay, "Feed .eml/.tg.json files (or folders of them, in filename order) through "
            "the live pipeline, each at its own Date; replies go to a file sink.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="message files or folders")
    p.add_argument("--sink", default="data/replay-outbound", help="folder for outbound mail "
                   "(default data/replay-outbound)")
    p.add_argument("--smtp", action="store_true", help="send outbound mail to the configured SMTP relay instead")
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
    add("retry-failed", cmd_retry, "Triage again every message that failed (shunted) before.")
    _register_modules(sub, add)
    return parser


def _register_modules(sub: Any, add: Callable[..., argparse.ArgumentParser]) -> None:
    """Commands whose modules own their arguments (training, users, queues, digest, report)."""
    from bot import admin, training
    from bot.reporting import digest, report
    def wrap(fn: Callable[..., int], needs_sessions: bool = True) -> Command:
        return lambda args, cfg: fn(args, cfg, _sessions(cfg)) if needs_sessions else fn(args, cfg)

    p = add("train", wrap(training.main, needs_sessions=False),
            "Retrain the category model from the shipped examples plus caseworkers' re-classifications.")
    training.add_arguments(p)
    user = add("user", lambda a, c: 2, "Manage dashboard users.")
    user_sub = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    for verb, func, arguments, help_ in (
        ("add", admin.cmd_user_add, admin.add_user_arguments,
         "add a user (password from --password-env VAR or a prompt); an existing name is refused"),
        ("list", admin.cmd_user_list, None, "list users, their roles and whether they are active"),
        ("passwd", admin.cmd_user_passwd, admin.add_password_arguments,
         "set a user's new password (from --password-env VAR or a prompt) and re-enable them"),
        ("disable", admin.cmd_user_disable, admin.add_name_argument, "stop a user signing in"),
        ("remove", admin.cmd_user_remove, admin.add_name_argument,
         "delete a user (the audit log keeps what they did)"),
    ):
        p = user_sub.add_parser(verb, help=help_, description=help_)
        _common(p)
        if arguments is not None:
            arguments(p)
        p.set_defaults(func=wrap(func))
    p = add("queue", wrap(admin.cmd_queue), "Print a triaged queue: urgent first, then by due date.")
    admin.add_queue_arguments(p)
    p = add("digest", wrap(digest.cmd_digest), "Produce the managers' daily digest (print or send).")
    digest.add_digest_arguments(p)
    p = add("report", wrap(report.cmd_report), "Board report: cases per month by category, and status.")
    report.add_report_arguments(p)
    _register_privacy(add, wrap)


def _register_privacy(add: Callable[..., argparse.ArgumentParser], wrap: Callable[..., Command]) -> None:
    """Retention, subject access, erasure, rectification and the access log (bot/privacy/)."""
    from bot.privacy import access, erasure, retention, sar

    p = add("retention", wrap(retention.cmd_retention), "Apply the retention schedule (config retention): "
            "anonymise cases past their keeping time, or list them with --dry-run.")
    retention.add_retention_arguments(p)
    p = add("sar", wrap(sar.cmd_sar), "Subject access: export everything held about a person as one zip.")
    _common(sar.add_sar_arguments(p))
    p = add("erase", wrap(erasure.cmd_erase), "Erase a person: anonymise their cases and messages now, "
            "with a recorded reason (cases under legal hold are kept).")
    erasure.add_erase_arguments(p)
    p = add("rectify", wrap(erasure.cmd_rectify), "Correct a person's name, phone, postcode or address "
            "(recorded as an event on their cases).")
    erasure.add_rectify_arguments(p)
    p = add("access", wrap(access.cmd_access), "The access log: who viewed a case, or what a user viewed.")
    access.add_access_arguments(p)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # One-shot commands print their own results; the service logs what it does.
    setup_logging(verbose=args.verbose, quiet=args.command != "run")
    overrides = {"store.url": args.db} if getattr(args, "db", None) else None
    try:
        cfg = load_config(args.config, overrides)
    except ConfigError as exc:
        print(f"signpost: {exc}", file=sys.stderr)
        return 2
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
