"""Configure eHerkenning from the environment (EHERKENNING_*), instead of in the admin."""

import os
import urllib.request
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...services.saml_config import EherkenningSettings, eherkenning_configure

REQUIRED = {
    "EHERKENNING_CERTIFICATE_FILE": "the portal's certificate (PEM)",
    "EHERKENNING_PRIVATE_KEY_FILE": "its private key (PEM)",
    "EHERKENNING_IDP_METADATA": "the broker's metadata: a file or an https:// address",
    "EHERKENNING_ENTITY_ID": "the portal's entity ID, urn:etoegang:DV:<OIN>:entities:<n>",
    "EHERKENNING_OIN": "the portal's OIN",
    "EHERKENNING_BROKER_ID": "the OIN of the broker (herkenningsmakelaar)",
    "EHERKENNING_PRIVACY_POLICY_URL": "the address of the privacy statement",
}


class Command(BaseCommand):
    help = "Write the eHerkenning configuration from the EHERKENNING_* environment variables."

    def handle(self, *args, **options):
        missing = [
            f"{name} ({what})" for name, what in REQUIRED.items() if not os.environ.get(name)
        ]
        if missing:
            raise CommandError("Set " + "; ".join(missing))
        env = os.environ
        source = env["EHERKENNING_IDP_METADATA"]
        if source.startswith("https://"):
            with urllib.request.urlopen(source, timeout=30) as response:  # noqa: S310
                metadata = response.read()
        else:
            metadata = Path(source).read_bytes()
        config = eherkenning_configure(
            EherkenningSettings(
                certificate_pem=Path(env["EHERKENNING_CERTIFICATE_FILE"]).read_bytes(),
                private_key_pem=Path(env["EHERKENNING_PRIVATE_KEY_FILE"]).read_bytes(),
                idp_metadata=metadata,
                base_url=env.get("EHERKENNING_BASE_URL") or env.get("SITE_URL", ""),
                entity_id=env["EHERKENNING_ENTITY_ID"],
                oin=env["EHERKENNING_OIN"],
                broker_id=env["EHERKENNING_BROKER_ID"],
                privacy_policy=env["EHERKENNING_PRIVACY_POLICY_URL"],
                organization_name=env.get("EHERKENNING_ORGANISATION_NAME", ""),
                organization_url=env.get("EHERKENNING_ORGANISATION_URL", ""),
                loa=env.get("EHERKENNING_LOA", "urn:etoegang:core:assurance-class:loa3"),
                service_index=env.get("EHERKENNING_SERVICE_INDEX", "9052"),
                eidas_service_index=env.get("EHERKENNING_EIDAS_SERVICE_INDEX", "9053"),
                eidas=env.get("EHERKENNING_EIDAS", "true").lower() in {"1", "true", "yes", "on"},
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"eHerkenning configured: {config.entity_id} via {config.idp_service_entity_id}"
            )
        )
