from django.core.management.base import BaseCommand, CommandError

from perspectief.audit.models import AuditRegel
from perspectief.audit.selectors import audit_verify_chain


class Command(BaseCommand):
    help = "Checks the audit log's hash chain; exits non-zero when an entry was changed or removed."

    def handle(self, *args, **options):
        problems = list(audit_verify_chain())
        if problems:
            for problem in problems:
                where = f"regel {problem.volgnummer}" if problem.volgnummer else "einde van het log"
                self.stderr.write(f"{where}: {problem.reason}")
            raise CommandError(f"Auditlog is NIET in orde: {len(problems)} probleem/problemen gevonden.")
        self.stdout.write(f"Auditlog is in orde: {AuditRegel.objects.count()} regels gecontroleerd.")
