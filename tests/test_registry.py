"""The register of issued numbers: consecutive, never twice, safe under concurrency."""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
from pathlib import Path

import pytest

from docgen.cli import main
from docgen.registry import Registry, RegistryError, Request, default_path

CODE = "高文联办督"


def test_consecutive_per_code_and_year(tmp_path: Path) -> None:
    with Registry(tmp_path / "r.sqlite3", create=True) as reg:
        a = reg.allocate(CODE, 2025, [Request("supervision", unit="市公安局") for _ in range(3)])
        b = reg.allocate(CODE, 2025, [Request("supervision") for _ in range(2)])
        other_year = reg.allocate(CODE, 2026, [Request("supervision")])
        other_code = reg.allocate("高文联办", 2025, [Request("supervision")])
    assert [i.seq for i in a + b] == [1, 2, 3, 4, 5]
    assert a[0].number == "高文联办督〔2025〕1号" and a[0].unit == "市公安局"
    assert other_year[0].seq == 1 and other_code[0].seq == 1


def test_same_item_twice_is_refused_unless_reused(tmp_path: Path) -> None:
    with Registry(tmp_path / "r.sqlite3", create=True) as reg:
        first = reg.allocate(CODE, 2025, [Request("supervision", item_key="m|1|1|市公安局")])
        with pytest.raises(RegistryError, match="沿用原文号") as refused:
            reg.allocate(CODE, 2025, [Request("supervision", item_key="m|1|1|市公安局")])
        # The library names the way out; the command line words it as its flag (--resume).
        assert refused.value.remedy == "resume" and "--" not in str(refused.value)
        again = reg.allocate(
            CODE,
            2025,
            [
                Request("supervision", item_key="m|1|1|市公安局"),
                Request("supervision", item_key="m|1|2|市财政局"),
            ],
            reuse=True,
        )
        assert again[0].number == first[0].number and again[0].reused
        assert again[1].seq == 2 and not again[1].reused
        assert len(reg.list()) == 2


def test_a_refused_allocation_takes_nothing(tmp_path: Path) -> None:
    with Registry(tmp_path / "r.sqlite3", create=True) as reg:
        reg.allocate(CODE, 2025, [Request("supervision", item_key="k1")])
        with pytest.raises(RegistryError):
            reg.allocate(
                CODE,
                2025,
                [Request("supervision", item_key="k2"), Request("supervision", item_key="k1")],
            )
        assert reg.next_seq(CODE, 2025) == 2


def test_database_refuses_a_duplicate_number(tmp_path: Path) -> None:
    Registry(tmp_path / "r.sqlite3", create=True).allocate(CODE, 2025, [Request("supervision")])
    db = sqlite3.connect(tmp_path / "r.sqlite3")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO issued (code, year, seq, number, kind, issued_at) VALUES (?, 2025, 1, 'x', 'x', 'now')",
            (CODE,),
        )


def _allocate_many(path: str, n: int, tag: str, queue: mp.Queue) -> None:
    got = []
    for i in range(n):
        # A fresh connection each time, as separate batches would have.
        with Registry(path) as reg:
            got.append(reg.take(CODE, 2025, Request("supervision", item_key=f"{tag}-{i}")).seq)
    queue.put(got)


def test_two_processes_never_get_the_same_number(tmp_path: Path) -> None:
    path = str(tmp_path / "r.sqlite3")
    Registry(path, create=True).close()
    queue: mp.Queue = mp.Queue()
    procs = [mp.Process(target=_allocate_many, args=(path, 40, tag, queue)) for tag in "ab"]
    for p in procs:
        p.start()
    results = [queue.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    seqs = results[0] + results[1]
    assert sorted(seqs) == list(range(1, 81))  # unique and consecutive, no gaps
    assert results[0] == sorted(results[0]) and results[1] == sorted(results[1])


def test_default_path_follows_env_and_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCGEN_REGISTRY", str(tmp_path / "x.sqlite3"))
    assert default_path() == tmp_path / "x.sqlite3"
    monkeypatch.delenv("DOCGEN_REGISTRY")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_path() == tmp_path / "data" / "docgen" / "registry.sqlite3"


def test_number_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reg = str(tmp_path / "r.sqlite3")
    assert main(["number", "next", CODE, "--year", "2025", "--registry", reg]) == 2  # mistyped?
    assert "--new-registry" in capsys.readouterr().err
    assert (
        main(["number", "next", CODE, "--year", "2025", "--registry", reg, "--new-registry"]) == 0
    )
    assert capsys.readouterr().out.strip() == "高文联办督〔2025〕1号"
    assert (
        main(["number", "next", CODE, "--year", "2025", "--registry", reg]) == 0
    )  # showing takes nothing
    assert capsys.readouterr().out.strip() == "高文联办督〔2025〕1号"
    assert (
        main(
            [
                "number",
                "next",
                CODE,
                "--year",
                "2025",
                "--take",
                "--unit",
                "市公安局",
                "--registry",
                reg,
            ]
        )
        == 0
    )
    assert "高文联办督〔2025〕1号" in capsys.readouterr().out
    assert main(["number", "next", CODE, "--year", "2025", "--registry", reg]) == 0
    assert capsys.readouterr().out.strip() == "高文联办督〔2025〕2号"
    assert main(["number", "list", "--code", CODE, "--registry", reg]) == 0
    out = capsys.readouterr().out
    assert "高文联办督〔2025〕1号" in out and "市公安局" in out


def test_two_threads_creating_one_register_build_it_in_different_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Threads of one process (the web server) never build a new register in one file.

    Both threads are held inside their build at the same moment: with one
    temporary name per process they would write, and then delete, each other's file.
    """
    import threading

    path = tmp_path / "r.sqlite3"
    real_connect = sqlite3.connect
    both_building = threading.Barrier(2, timeout=10)
    built_in: list[str] = []

    def connect(database: str, *args: object, **kwargs: object) -> sqlite3.Connection:
        if Path(database) != path:  # the temporary file a new register is built in
            built_in.append(database)
            both_building.wait()
        return real_connect(database, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite3, "connect", connect)
    failures: list[BaseException] = []

    def create() -> None:
        try:
            Registry._create(path)
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=create) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    monkeypatch.undo()
    assert not failures, failures
    assert len(set(built_in)) == 2, built_in
    assert [p.name for p in tmp_path.iterdir()] == ["r.sqlite3"]  # no temporary file left
    with Registry(path) as reg:
        assert reg.allocate(CODE, 2025, [Request("supervision")])[0].seq == 1


def test_many_threads_open_a_new_register_at_once(tmp_path: Path) -> None:
    import threading

    paths = [tmp_path / f"r{i}.sqlite3" for i in range(5)]
    start = threading.Barrier(6, timeout=30)
    failures: list[BaseException] = []

    def open_all() -> None:
        for path in paths:
            try:
                start.wait()
                Registry(path, create=True).close()
            except BaseException as exc:  # reported by the assertion below
                failures.append(exc)

    threads = [threading.Thread(target=open_all) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not failures, failures
    assert sorted(p.name for p in tmp_path.iterdir()) == [p.name for p in paths]
