"""How many CPUs this process may use, for gunicorn's workers and the first build's renderers."""

from __future__ import annotations

import math
import os
from pathlib import Path

CPU_MAX = Path("/sys/fs/cgroup/cpu.max")


def available(cpu_max: Path = CPU_MAX) -> int:
    """The affinity mask, lowered to a container's CPU quota (cgroup v2): a container limited to 2 CPUs
    on a 64-CPU host must not start 129 workers, nor fork 64 renderers."""
    try:
        count = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        count = os.cpu_count() or 1
    try:
        quota, period = cpu_max.read_text().split()
        if quota != "max":
            count = min(count, math.ceil(int(quota) / int(period)))
    except (OSError, ValueError):
        pass
    return max(1, count)
