from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core.machines import diagrams_markdown

DOC = Path(settings.BASE_DIR) / "docs" / "state-machines.md"


class Command(BaseCommand):
    help = "Write docs/state-machines.md: a Mermaid diagram of every state machine, from its transitions."

    def handle(self, *args, **options) -> None:
        DOC.parent.mkdir(exist_ok=True)
        DOC.write_text(diagrams_markdown())
        self.stdout.write(f"Wrote {DOC.relative_to(settings.BASE_DIR)}.")
