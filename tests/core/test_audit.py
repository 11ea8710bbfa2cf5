"""`make lint`'s offline dependency audit: the lock files against the vendored advisory snapshot."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def audit(*locks: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, ".ci/audit.py", *map(str, locks)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_our_pins_have_no_known_vulnerability():
    result = audit()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "audit: 0 known vulnerabilities" in result.stdout


def test_a_vulnerable_pin_fails_the_audit_and_names_the_advisory(tmp_path):
    lock = tmp_path / "requirements.lock"
    lock.write_text("Django==4.2.0\nwhitenoise==6.12.0\n")
    result = audit(lock)
    assert result.returncode == 1
    assert "django==4.2.0: " in result.stdout
    assert "CVE-2023-31047" in result.stdout  # fixed in 4.2.1
    assert "whitenoise" not in result.stdout.split("audit:")[0]
