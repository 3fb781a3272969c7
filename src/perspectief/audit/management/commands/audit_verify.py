from django.core.management.base import BaseCommand, CommandError

from perspectief.audit.anker import AnkerbestandOntbreekt, audit_ankerbestand_controleren
from perspectief.audit.models import AuditRegel
from perspectief.audit.selectors import audit_verify_chain


class Command(BaseCommand):
    help = (
        "Checks the audit log's hash chain; exits non-zero when an entry was changed or removed. "
        "With --anker also checks that every anchored head is still in the chain."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anker",
            nargs="?",
            const="",
            metavar="BESTAND",
            help="anchor file written by audit_anker_task (without a value: AUDIT_ANKER_BESTAND)",
        )

    def handle(self, *args, **options):
        anchor_report = self._anchor_report(options.get("anker"))
        chain_problems = list(audit_verify_chain())
        anchor_problems = list(anchor_report.problems) if anchor_report else []
        for problem in chain_problems:
            self._report(problem, elsewhere="einde van het log")
        for problem in anchor_problems:
            self._report(problem, elsewhere="ankers")
        problems = chain_problems + anchor_problems
        if problems:
            raise CommandError(f"Auditlog is NIET in orde: {len(problems)} probleem/problemen gevonden.")
        self.stdout.write(f"Auditlog is in orde: {AuditRegel.objects.count()} regels gecontroleerd.")
        if anchor_report is not None:
            self.stdout.write(f"Ankers zijn in orde: {anchor_report.checked} ankers gecontroleerd.")

    def _report(self, problem, *, elsewhere: str) -> None:
        where = f"regel {problem.volgnummer}" if problem.volgnummer else elsewhere
        self.stderr.write(f"{where}: {problem.reason}")

    def _anchor_report(self, option: str | None):
        """The anchors' check, or None without --anker (a value: that file; none: the
        setting)."""
        if option is None:
            return None
        try:
            return audit_ankerbestand_controleren(bestand=option or None, verplicht=True)
        except AnkerbestandOntbreekt as fout:
            raise CommandError(str(fout)) from None
