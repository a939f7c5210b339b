"""What a running workbench knows about itself: where its data lives and how it is reached."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path

from docgen.web.retention import DEFAULT_KEEP_HOURS
from docgen.web.workers import DEFAULT_MEMORY_MB, DEFAULT_SECONDS, DEFAULT_WORKERS

DEFAULT_PORT = 8765
DEFAULT_MAX_UPLOAD = 20 * 1024 * 1024  # a meeting's table and a seal image are far smaller
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def default_data_dir() -> Path:
    """The folder of the number register (the user's data folder), so drafts sit beside it."""
    from docgen.registry import default_path

    return default_path().parent


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass
class WebConfig:
    data_dir: Path
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    access_code: str | None = None  # required whenever the host is not a loopback address
    max_upload: int = DEFAULT_MAX_UPLOAD
    registry: Path | None = None  # default: registry.sqlite3 in the data folder
    batch_jobs: int = 0  # worker processes per batch; 0 = one per CPU core
    extra_hosts: tuple[str, ...] = field(default_factory=tuple)
    # Uploads and batch jobs unused for this long are removed (docgen serve --keep-hours).
    keep_hours: float = DEFAULT_KEEP_HOURS
    # Imports, checks and renders run in this many worker processes, each limited in memory
    # (MB of address space) and in time per task (seconds); see workers.py.
    workers: int = DEFAULT_WORKERS
    worker_memory_mb: int = DEFAULT_MEMORY_MB
    worker_seconds: float = DEFAULT_SECONDS
    batch_seconds: float = 3600.0  # a batch job running longer is stopped

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir)
        if not self.keep_hours > 0:
            raise ValueError("上传和任务的保留时长应为正数（小时）")
        if self.registry is None:
            self.registry = self.data_dir / "registry.sqlite3"
        if not is_loopback(self.host) and not self.access_code:
            raise ValueError("不在本机地址上提供服务时必须设置访问码")

    # Every file the workbench writes lives in one of these, under a name it chose.
    @property
    def drafts_dir(self) -> Path:
        return self.data_dir / "drafts"

    @property
    def seals_dir(self) -> Path:
        return self.data_dir / "seals"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def jobs_dir(self) -> Path:
        return self.data_dir / "jobs"

    @property
    def keep_seconds(self) -> float:
        return self.keep_hours * 3600

    @property
    def units_file(self) -> Path:
        """The member units (成员单位名录) the pages check unit names against."""
        return self.data_dir / "member-units.yaml"

    @property
    def registry_path(self) -> Path:
        assert self.registry is not None
        return self.registry

    def make_dirs(self) -> None:
        for d in (self.drafts_dir, self.seals_dir, self.uploads_dir, self.jobs_dir):
            d.mkdir(parents=True, exist_ok=True)
