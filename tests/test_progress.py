"""Progress of long work: plain lines off a terminal, a tqdm bar on one, wired into replay, eval and train."""

from __future__ import annotations

import gc
import io
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.progress import Progress
from tests.test_cli import write_eml


class Ticks:
    """A clock that moves one second per reading."""

    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        self.t += 1.0
        return self.t


def test_plain_lines_every_n_with_count_rate_and_time_left() -> None:
    out = io.StringIO()
    with Progress("replay", 10, every=4, stream=out, tty=False, clock=Ticks()) as p:
        for _ in range(10):
            p.advance()
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("replay: 4/10 messages, ") and lines[0].endswith(" s left")
    assert lines[1].startswith("replay: 8/10 messages, ")
    assert lines[2].startswith("replay: 10 messages in ") and "/s)" in lines[2]
    assert len(lines) == 3


def test_rate_and_time_left_come_from_the_clock() -> None:
    clock = Ticks()
    p = Progress("eval", 100, every=1000, stream=io.StringIO(), tty=False, clock=clock)  # started at t=1
    p.advance(10)
    clock.t = 11.0  # the next reading is 12: 10 items in 11 s
    assert p.line() == "eval: 10/100 messages, 0.9/s, about 1 min 39 s left"


def test_unknown_total_and_a_jump_past_several_marks_print_one_line() -> None:
    out = io.StringIO()
    p = Progress("replay", every=5, stream=out, tty=False, clock=Ticks())
    p.advance(12)
    assert out.getvalue().startswith("replay: 12 messages, ") and "left" not in out.getvalue()
    p.advance(2)  # 14: the next mark is 15
    assert len(out.getvalue().splitlines()) == 1


def test_a_terminal_gets_a_bar_with_counts() -> None:
    out = io.StringIO()
    with Progress("replay", 3, stream=out, tty=True) as p:
        for _ in range(3):
            p.advance()
    shown = out.getvalue()
    assert "replay" in shown and "3/3" in shown and "messages" in shown


def test_every_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Progress("replay", every=0)


def test_replay_command_prints_progress_lines_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import UTC, datetime, timedelta

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    start = datetime(2026, 7, 6, 9, 0, tzinfo=UTC)
    for i in range(3):
        write_eml(corpus, f"{i:04d}-m.eml", f"Writer {i} <w{i}@example.com>", "Parking on the pavement",
                  f"Vans park on the pavement of Mill Lane every morning ({i}).", start + timedelta(minutes=i))
    db = f"sqlite:///{tmp_path}/s.db"
    # An earlier test's garbage collected while the command logs to stderr would be logged among the
    # progress lines (once in CI: "Task was destroyed but it is pending!"): collected first, and
    # whatever that logged is read off before the command runs.
    gc.collect()
    capsys.readouterr()
    assert main(["replay", str(corpus), "--db", db, "--sink", str(tmp_path / "o"), "--progress-every", "2"]) == 0
    captured = capsys.readouterr()
    assert "replayed 3 files" in captured.out and "replay:" not in captured.out
    err = captured.err.splitlines()
    assert err[0].startswith("replay: 2/3 messages, ")
    assert err[-1].startswith("replay: 3 messages in ")


def test_train_reports_each_example_the_vectoriser_and_each_head(make_cfg: Any, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from handlers import model
    from tests.test_training import run_train

    assert run_train(make_cfg, tmp_path, "--progress-every", "100000") == 0
    shipped = len(model.load_examples())
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.startswith(f"train: {model.training_steps(shipped)} steps in ")
    assert model.training_steps(shipped) == shipped + 4
